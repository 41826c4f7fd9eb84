using System.Text.Json;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Protocol;

public sealed class AudioFrameHeaderTests
{
    [TestCaseSource(typeof(ProtocolVectors), nameof(ProtocolVectors.Frames))]
    public void TryRead_GoldenFrame_YieldsItsFields(JsonElement vector)
    {
        byte[] frame = Convert.FromHexString(vector.GetProperty("hex").GetString()!);
        var fields = vector.GetProperty("fields");

        Assert.That(AudioFrameHeader.TryRead(frame, out var header), Is.EqualTo(FrameError.None));
        Assert.Multiple(() =>
        {
            Assert.That(frame[0], Is.EqualTo(fields.GetProperty("version").GetInt32()));
            Assert.That(frame[1], Is.EqualTo(fields.GetProperty("frameType").GetInt32()));
            Assert.That(header.Codec.ToString().ToLowerInvariant(), Is.EqualTo(fields.GetProperty("codec").GetString()));
            Assert.That((int)header.Flags, Is.EqualTo(fields.GetProperty("flags").GetInt32()));
            Assert.That(header.IsEndOfStream, Is.EqualTo(fields.GetProperty("endOfStream").GetBoolean()));
            Assert.That(header.StreamId, Is.EqualTo(fields.GetProperty("streamId").GetUInt32()));
            Assert.That(header.Sequence, Is.EqualTo(fields.GetProperty("sequence").GetUInt32()));
            Assert.That(header.Timestamp, Is.EqualTo(fields.GetProperty("timestamp").GetUInt32()));
            Assert.That(header.CaptureTimeMicros, Is.EqualTo(fields.GetProperty("captureTimeMicros").GetInt64()));
            Assert.That(Convert.ToHexStringLower(frame.AsSpan(ProtocolConstants.HeaderSize)), Is.EqualTo(fields.GetProperty("payloadHex").GetString()));
        });
    }

    [TestCaseSource(typeof(ProtocolVectors), nameof(ProtocolVectors.Frames))]
    public void WriteFrame_GoldenFields_ReproducesTheGoldenBytes(JsonElement vector)
    {
        byte[] expected = Convert.FromHexString(vector.GetProperty("hex").GetString()!);
        AudioFrameHeader.TryRead(expected, out var header);
        byte[] payload = Convert.FromHexString(vector.GetProperty("fields").GetProperty("payloadHex").GetString()!);

        var written = new byte[ProtocolConstants.HeaderSize + payload.Length];
        int length = header.WriteFrame(written, payload);

        Assert.That(length, Is.EqualTo(expected.Length));
        Assert.That(written, Is.EqualTo(expected));
    }

    [TestCaseSource(typeof(ProtocolVectors), nameof(ProtocolVectors.InvalidFrames))]
    public void TryRead_InvalidFrame_ReportsItsError(JsonElement vector)
    {
        byte[] frame = Convert.FromHexString(vector.GetProperty("hex").GetString()!);
        string expected = vector.GetProperty("error").GetString()!.Replace("-", "", StringComparison.Ordinal);

        var error = AudioFrameHeader.TryRead(frame, out _);

        Assert.That(error.ToString(), Is.EqualTo(expected).IgnoreCase);
    }

    [Test]
    public void Write_KnownHeader_PutsEachFieldAtItsOffsetBigEndian()
    {
        var header = new AudioFrameHeader(AudioCodec.Pcm16, FrameFlags.EndOfStream, 0x01020304, 0x05060708, 0x090A0B0C, 0x0D0E0F1011121314);
        var bytes = new byte[ProtocolConstants.HeaderSize];

        header.Write(bytes);

        byte[] expected =
        [
            0x01,                                           // version 1
            0x01,                                           // frame type: audio
            0x02,                                           // codec: pcm16
            0x01,                                           // flags: end-of-stream
            0x01, 0x02, 0x03, 0x04,                         // stream id
            0x05, 0x06, 0x07, 0x08,                         // sequence
            0x09, 0x0A, 0x0B, 0x0C,                         // media timestamp
            0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, // capture time, µs
        ];
        Assert.That(bytes, Is.EqualTo(expected));
    }

    [Test]
    public void Write_DestinationShorterThanHeader_Throws()
    {
        var header = new AudioFrameHeader(AudioCodec.Opus, FrameFlags.None, 1, 0, 0, 0);

        Assert.That(() => header.Write(new byte[ProtocolConstants.HeaderSize - 1]), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
