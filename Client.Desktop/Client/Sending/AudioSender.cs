using System.Buffers.Binary;
using System.Diagnostics;
using WsAudio.Audio;
using WsAudio.Audio.Opus;
using WsAudio.Client.Connection;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;

namespace WsAudio.Client.Sending;

/// <summary>
/// Streams a source into the room: cuts it into frames, encodes them (Opus, or PCM 16), stamps each with its media
/// timestamp and capture time, and sends them at real-time pace. Ends the stream with an end-of-stream frame.
/// </summary>
public sealed class AudioSender
{
    // A file source that falls this far behind (after a stall or reconnect) restarts its clock instead of bursting.
    private static readonly TimeSpan MaxBacklog = TimeSpan.FromMilliseconds(200);

    private readonly RoomClient _client;
    private readonly IAudioSource _source;
    private readonly OpusEncoderOptions _opus;

    /// <param name="client">A connected client whose role sends.</param>
    /// <param name="source">The audio.</param>
    /// <param name="opus">Encoder settings; their frame duration also applies to PCM streams.</param>
    public AudioSender(RoomClient client, IAudioSource source, OpusEncoderOptions opus)
    {
        _client = client;
        _source = source;
        _opus = opus;
    }

    /// <summary>Raised for every frame with its level, for meters.</summary>
    public event Action<AudioLevel>? Level;

    /// <summary>Frames read from the source so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Sends until the source ends or <paramref name="cancellationToken"/> fires; then ends the stream.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        int channels = _source.Channels;
        using var encoder = _client.Options.Format.Codec == AudioCodec.Opus ? new OpusEncoder(_opus with { Channels = channels }) : null;
        int frameSamples = _opus.FrameSamples;
        var frameDuration = TimeSpan.FromTicks(_opus.FrameDurationMicros * 10L);
        var pcm = new float[frameSamples * channels];
        var packet = new byte[Math.Max(OpusEncoder.MaxPacketBytes, pcm.Length * 2)];
        uint timestamp = 0;
        long clockStart = Stopwatch.GetTimestamp();
        long paced = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            int read = _source.Read(pcm);
            if (read == 0)
            {
                break;
            }

            pcm.AsSpan(read).Clear();
            Level?.Invoke(AudioLevel.Measure(pcm.AsSpan(0, read)));
            int length = encoder?.Encode(pcm, packet) ?? EncodePcm16(pcm, packet);
            if (!_source.IsLive)
            {
                if (!await PaceAsync(clockStart, paced, frameDuration, cancellationToken))
                {
                    clockStart = Stopwatch.GetTimestamp();
                    paced = 0;
                }

                paced++;
            }

            await _client.SendAudioAsync(packet.AsMemory(0, length), timestamp, CaptureClock.NowMicros(), cancellationToken: CancellationToken.None);
            timestamp += (uint)frameSamples;
            Frames++;
            if (read < pcm.Length)
            {
                break;
            }
        }

        await _client.SendAudioAsync(ReadOnlyMemory<byte>.Empty, timestamp, CaptureClock.NowMicros(), endOfStream: true, CancellationToken.None);
    }

    /// <summary>Waits until frame <paramref name="index"/> is due; false when it is already far overdue.</summary>
    private static async Task<bool> PaceAsync(long clockStart, long index, TimeSpan frameDuration, CancellationToken cancellationToken)
    {
        var due = frameDuration * index;
        var wait = due - Stopwatch.GetElapsedTime(clockStart);
        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return true;
        }

        return -wait < MaxBacklog;
    }

    private static int EncodePcm16(ReadOnlySpan<float> pcm, Span<byte> packet)
    {
        for (int i = 0; i < pcm.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(packet[(i * 2)..], (short)Math.Round(Math.Clamp(pcm[i], -1f, 1f) * 32767f));
        }

        return pcm.Length * 2;
    }
}
