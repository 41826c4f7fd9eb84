using System.Buffers.Binary;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;

namespace WsAudio.Tests.Support;

/// <summary>One stream a tap received: how it was announced and its samples, in order.</summary>
internal sealed record TapStream(StreamStartedMessage Started, float[] Samples, StreamStoppedMessage Stopped);

/// <summary>Reads what a tap received, stream by stream.</summary>
internal static class TapStreams
{
    /// <summary>Joins <paramref name="tap"/> as a tap of <paramref name="room"/> at <paramref name="sampleRate"/>.</summary>
    public static async Task<JoinedMessage> JoinAsync(TestClient tap, string room, TapMode mode, int sampleRate = 16000, string? token = null)
    {
        await tap.SendAsync(new JoinMessage
        {
            Room = room,
            Role = ParticipantRole.Tap,
            Mode = mode,
            Token = token,
            Format = new AudioFormat { Codec = AudioCodec.Pcm16, SampleRate = sampleRate, Channels = 1 },
        });
        return await tap.ExpectAsync<JoinedMessage>();
    }

    /// <summary>
    /// The mix a tap in mode mix received (stream 0, which runs on as long as the tap is there), once it holds at least
    /// <paramref name="samples"/> samples.
    /// </summary>
    public static async Task<float[]> MixAsync(TestClient tap, int samples)
    {
        var mix = new List<float>();
        while (mix.Count < samples)
        {
            var frame = await tap.NextAudioAsync();
            Assert.That(AudioFrameHeader.TryRead(frame, out var header), Is.EqualTo(FrameError.None));
            Assert.That(header.StreamId, Is.Zero);
            var payload = frame.AsSpan(ProtocolConstants.HeaderSize);
            for (int i = 0; i + 1 < payload.Length; i += 2)
            {
                mix.Add(BinaryPrimitives.ReadInt16LittleEndian(payload[i..]) / 32768f);
            }
        }

        return [.. mix];
    }

    /// <summary>Waits until <paramref name="count"/> streams have stopped, then returns every stream received.</summary>
    public static async Task<List<TapStream>> CollectAsync(TestClient tap, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await tap.ExpectAsync<StreamStoppedMessage>();
        }

        var started = new Dictionary<uint, StreamStartedMessage>();
        var samples = new Dictionary<uint, List<float>>();
        var streams = new List<TapStream>();
        foreach (var arrival in tap.Arrivals)
        {
            switch (arrival)
            {
                case StreamStartedMessage start:
                    Assert.That(start.Format.Codec, Is.EqualTo(AudioCodec.Pcm16));
                    started[start.StreamId] = start;
                    samples[start.StreamId] = [];
                    break;
                case byte[] frame:
                    Assert.That(AudioFrameHeader.TryRead(frame, out var header), Is.EqualTo(FrameError.None));
                    Assert.That(header.Codec, Is.EqualTo(AudioCodec.Pcm16));
                    Assert.That(samples.ContainsKey(header.StreamId), "stream-started comes before a stream's first frame");
                    var payload = frame.AsSpan(ProtocolConstants.HeaderSize);
                    for (int i = 0; i + 1 < payload.Length; i += 2)
                    {
                        samples[header.StreamId].Add(BinaryPrimitives.ReadInt16LittleEndian(payload[i..]) / 32768f);
                    }

                    break;
                case StreamStoppedMessage stop when started.ContainsKey(stop.StreamId):
                    streams.Add(new TapStream(started[stop.StreamId], [.. samples[stop.StreamId]], stop));
                    break;
            }
        }

        return streams;
    }
}
