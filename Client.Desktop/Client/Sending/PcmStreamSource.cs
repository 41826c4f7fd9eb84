using System.Buffers.Binary;
using WsAudio.Audio;

namespace WsAudio.Client.Sending;

/// <summary>Reads raw signed 16-bit little-endian PCM (e.g. standard input) at any rate and channel count.</summary>
public sealed class PcmStreamSource : IAudioSource
{
    private readonly Stream _stream;
    private readonly int _channels;
    private readonly Resampler? _resampler;
    private readonly Queue<float> _ready = new();
    private readonly byte[] _chunk;
    private bool _ended;

    public PcmStreamSource(Stream stream, int sampleRate, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _stream = stream;
        _channels = channels;
        _resampler = sampleRate == 48000 ? null : new Resampler(sampleRate, 48000);
        _chunk = new byte[sampleRate / 50 * channels * 2];
    }

    /// <summary>Parses a format such as <c>s16le:48000:1</c> (encoding, rate, channels).</summary>
    public static (int SampleRate, int Channels) ParseFormat(string format)
    {
        string[] parts = format.Split(':');
        if (parts.Length != 3 || parts[0] != "s16le" || !int.TryParse(parts[1], out int rate) || rate < 1000 ||
            !int.TryParse(parts[2], out int channels) || channels is < 1 or > 8)
        {
            throw new FormatException($"'{format}' is not a PCM format like s16le:48000:1 (encoding:rate:channels; only s16le is supported)");
        }

        return (rate, channels);
    }

    public bool IsLive => false;

    public int Read(Span<float> frame)
    {
        while (_ready.Count < frame.Length && !_ended)
        {
            int length = _stream.ReadAtLeast(_chunk, _chunk.Length, throwOnEndOfStream: false);
            length -= length % (2 * _channels);
            if (length < _chunk.Length)
            {
                _ended = true;
            }

            var interleaved = new float[length / 2];
            for (int i = 0; i < interleaved.Length; i++)
            {
                interleaved[i] = BinaryPrimitives.ReadInt16LittleEndian(_chunk.AsSpan(i * 2)) / 32768f;
            }

            float[] mono = Downmix.ToMono(interleaved, _channels);
            float[] converted = _resampler is null ? mono : [.. _resampler.Process(mono), .. _ended ? _resampler.Flush() : []];
            foreach (float sample in converted)
            {
                _ready.Enqueue(sample);
            }
        }

        int count = Math.Min(frame.Length, _ready.Count);
        for (int i = 0; i < count; i++)
        {
            frame[i] = _ready.Dequeue();
        }

        return count;
    }

    public void Dispose() => _stream.Dispose();
}
