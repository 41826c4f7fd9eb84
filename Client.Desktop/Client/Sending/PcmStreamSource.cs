using WsAudio.Audio;
using WsAudio.Audio.Wav;

namespace WsAudio.Client.Sending;

/// <summary>
/// Reads PCM as it comes from a stream (a WAV file's samples, standard input), at any rate, channel count and sample
/// format, 20 ms at a time: nothing is held beyond what the next frames need, so a file of any length starts at once.
/// </summary>
public sealed class PcmStreamSource : IAudioSource
{
    private readonly Stream _stream;
    private readonly WavSampleFormat _format;
    private readonly int _channels;
    private readonly int _bytesPerFrame;
    private readonly long _dataStart;
    private readonly long? _dataBytes;
    private readonly bool _loop;
    private readonly int _outputChannels;
    private readonly Resampler?[] _resamplers;
    private readonly Queue<float> _ready = new();
    private readonly byte[] _chunk;
    private readonly float[] _interleaved;
    private long _consumed;
    private bool _ended;

    /// <param name="stream">Positioned at the first sample.</param>
    /// <param name="sampleRate">The samples' rate, Hz; resampled to 48 kHz.</param>
    /// <param name="channels">Interleaved channels; mixed down to mono.</param>
    /// <param name="format">How each sample is stored.</param>
    /// <param name="dataBytes">How many bytes of samples follow; null to read to the end of the stream.</param>
    /// <param name="loop">Start again at the first sample at the end (the stream must be seekable).</param>
    /// <param name="outputChannels">
    /// 1: everything mixed down to mono. 2: stereo; a mono input goes to both sides, an input of more channels gives
    /// its first two.
    /// </param>
    public PcmStreamSource(Stream stream, int sampleRate, int channels, WavSampleFormat format = WavSampleFormat.Pcm16, long? dataBytes = null, bool loop = false, int outputChannels = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outputChannels, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (loop && !stream.CanSeek)
        {
            throw new ArgumentException("a stream that cannot seek cannot loop", nameof(loop));
        }

        _stream = stream;
        _format = format;
        _channels = channels;
        _bytesPerFrame = channels * WavHeader.SampleBytes(format);
        _dataStart = stream.CanSeek ? stream.Position : 0;
        _dataBytes = dataBytes;
        _loop = loop;
        _outputChannels = outputChannels;
        _resamplers = [.. Enumerable.Range(0, outputChannels).Select(_ => sampleRate == 48000 ? null : new Resampler(sampleRate, 48000))];
        _chunk = new byte[Math.Max(1, sampleRate / 50) * _bytesPerFrame];
        _interleaved = new float[_chunk.Length / _bytesPerFrame * channels];
    }

    /// <summary>Opens a WAV stream: reads its header, then streams its samples.</summary>
    public static PcmStreamSource OpenWav(Stream stream, bool loop = false, int outputChannels = 1)
    {
        var header = WavHeader.Read(stream);
        return new PcmStreamSource(stream, header.SampleRate, header.Channels, header.Format, header.DataBytes, loop, outputChannels);
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

    public int Channels => _outputChannels;

    public int Read(Span<float> frame)
    {
        while (_ready.Count < frame.Length && !_ended)
        {
            int wanted = _chunk.Length;
            if (_dataBytes is { } total)
            {
                wanted = (int)Math.Min(wanted, total - _consumed);
            }

            int length = wanted == 0 ? 0 : _stream.ReadAtLeast(_chunk.AsSpan(0, wanted), wanted, throwOnEndOfStream: false);
            _consumed += length;
            length -= length % _bytesPerFrame;
            if (length < _chunk.Length)
            {
                if (_loop && _consumed > 0)
                {
                    _stream.Position = _dataStart;
                    _consumed = 0;
                }
                else
                {
                    _ended = true;
                }
            }

            var samples = _interleaved.AsSpan(0, length / _bytesPerFrame * _channels);
            WavReader.DecodeSamples(_chunk.AsSpan(0, length), _format, samples);
            if (_outputChannels == 1)
            {
                Enqueue(Convert(0, Downmix.ToMono(samples, _channels)));
            }
            else
            {
                float[] left = Convert(0, Channel(samples, 0));
                float[] right = Convert(1, Channel(samples, Math.Min(1, _channels - 1)));
                for (int i = 0; i < Math.Min(left.Length, right.Length); i++)
                {
                    _ready.Enqueue(left[i]);
                    _ready.Enqueue(right[i]);
                }
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

    private float[] Convert(int channel, float[] samples) =>
        _resamplers[channel] is { } resampler ? [.. resampler.Process(samples), .. _ended ? resampler.Flush() : []] : samples;

    private float[] Channel(ReadOnlySpan<float> interleaved, int channel)
    {
        var one = new float[interleaved.Length / _channels];
        for (int i = 0; i < one.Length; i++)
        {
            one[i] = interleaved[(i * _channels) + channel];
        }

        return one;
    }

    private void Enqueue(float[] samples)
    {
        foreach (float sample in samples)
        {
            _ready.Enqueue(sample);
        }
    }
}
