using System.Diagnostics;
using WsAudio.Audio.Opus;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;

namespace WsAudio.Tests.Support;

/// <summary>One voice for <see cref="PacedSpeech"/>: who sends, on which stream, what, and which frames are lost.</summary>
internal sealed record Voice(TestClient Client, uint StreamId, float[] Samples, Func<int, bool>? Lost = null);

/// <summary>
/// Sends speech as a real sender does: Opus, 20 ms frames at real-time pace, every voice in step. A lost frame is
/// not sent but keeps its sequence number and timestamp, as if the network had dropped it; the last frame ends the
/// stream.
/// </summary>
internal static class PacedSpeech
{
    private const int FrameSamples = 960;

    /// <summary>Sends every voice; returns when each voice's first frame was sent, in the order given.</summary>
    public static async Task<DateTimeOffset[]> SendAsync(params Voice[] voices)
    {
        var frames = voices.Select(Encode).ToArray();
        var firstSent = new DateTimeOffset[voices.Length];
        int count = frames.Max(f => f.Count);
        var clock = Stopwatch.StartNew();
        for (int k = 0; k < count; k++)
        {
            // Pacing, not synchronisation: a real sender's clock.
            var wait = TimeSpan.FromMilliseconds(20 * k) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            for (int v = 0; v < voices.Length; v++)
            {
                if (k == 0)
                {
                    firstSent[v] = DateTimeOffset.UtcNow;
                }

                if (k < frames[v].Count && !(voices[v].Lost?.Invoke(k) ?? false))
                {
                    var flags = k == frames[v].Count - 1 ? FrameFlags.EndOfStream : FrameFlags.None;
                    long now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
                    var frame = new byte[ProtocolConstants.HeaderSize + frames[v][k].Length];
                    new AudioFrameHeader(AudioCodec.Opus, flags, voices[v].StreamId, (uint)k, (uint)(k * FrameSamples), now).WriteFrame(frame, frames[v][k]);
                    await voices[v].Client.SendBinaryAsync(frame);
                }
            }
        }

        return firstSent;
    }

    // The Opus packets of the voice, 20 ms each.
    private static List<byte[]> Encode(Voice voice)
    {
        using var encoder = new OpusEncoder(new OpusEncoderOptions { Bitrate = 48_000 });
        var packet = new byte[OpusEncoder.MaxPacketBytes];
        var block = new float[FrameSamples];
        int count = (voice.Samples.Length + FrameSamples - 1) / FrameSamples;
        var frames = new List<byte[]>(count);
        for (int k = 0; k < count; k++)
        {
            Array.Clear(block);
            voice.Samples.AsSpan(k * FrameSamples, Math.Min(FrameSamples, voice.Samples.Length - (k * FrameSamples))).CopyTo(block);
            int length = encoder.Encode(block, packet);
            frames.Add(packet[..length]);
        }

        return frames;
    }
}
