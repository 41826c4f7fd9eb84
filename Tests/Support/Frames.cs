using WsAudio.Audio.Opus;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;

namespace WsAudio.Tests.Support;

/// <summary>Builds binary frames for tests.</summary>
internal static class Frames
{
    public static byte[] Audio(
        uint streamId,
        uint sequence,
        ReadOnlySpan<byte> payload,
        AudioCodec codec = AudioCodec.Opus,
        FrameFlags flags = FrameFlags.None)
    {
        var header = new AudioFrameHeader(codec, flags, streamId, sequence, sequence * 960, CaptureTimeMicros: 1_700_000_000_000_000 + sequence);
        var frame = new byte[ProtocolConstants.HeaderSize + payload.Length];
        header.WriteFrame(frame, payload);
        return frame;
    }

    /// <summary>A payload whose bytes depend on <paramref name="sequence"/>, so a wrong or mixed-up frame shows.</summary>
    public static byte[] Payload(uint sequence, int length = 80)
    {
        var payload = new byte[length];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(sequence * 31 + i * 7);
        }

        return payload;
    }

    public static uint SequenceOf(byte[] frame)
    {
        AudioFrameHeader.TryRead(frame, out var header);
        return header.Sequence;
    }

    public static uint StreamIdOf(byte[] frame)
    {
        AudioFrameHeader.TryRead(frame, out var header);
        return header.StreamId;
    }

    /// <summary>The PCM of Opus audio frames (header and payload, as received), decoded in order by one decoder.</summary>
    public static float[] DecodeOpus(IReadOnlyList<byte[]> frames)
    {
        using var decoder = new OpusDecoder();
        var pcm = new List<float>(frames.Count * 960);
        var block = new float[OpusDecoder.MaxFrameSamples];
        foreach (var frame in frames)
        {
            int samples = decoder.Decode(frame.AsSpan(ProtocolConstants.HeaderSize), block);
            pcm.AddRange(block.AsSpan(0, samples));
        }

        return pcm.ToArray();
    }
}
