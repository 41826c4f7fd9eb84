using System.Buffers.Binary;
using WsAudio.Audio;
using WsAudio.Audio.Opus;
using WsAudio.Protocol;

namespace WsAudio.Server.Outputs;

/// <summary>
/// One stream of a room decoded to 48 kHz mono, waiting in a short buffer to be mixed: Opus through libopus (its
/// concealment fills lost frames), PCM 16 converted and resampled. The buffer starts playing once it holds
/// <see cref="Prebuffer"/> samples, which absorbs the network's jitter, and never holds more than
/// <see cref="MaxBuffered"/>, so a stream that ran ahead is brought back rather than heard late.
/// </summary>
internal sealed class StreamDecoder : IDisposable
{
    /// <summary>40 ms at 48 kHz.</summary>
    public const int Prebuffer = 1920;

    /// <summary>200 ms at 48 kHz.</summary>
    public const int MaxBuffered = 9600;

    // Lost frames concealed at most in a row; a longer gap is silence, as the stream was probably paused.
    private const int MaxConcealed = 3;

    private readonly AudioFormat _format;
    private readonly OpusDecoder? _opus;
    private readonly Resampler? _resampler;
    private readonly float[] _decoded;
    private readonly Queue<float> _buffer = new();
    private uint? _nextSequence;
    private bool _playing;

    public StreamDecoder(AudioFormat format)
    {
        _format = format;
        _decoded = new float[OpusDecoder.MaxFrameSamples * 2];
        if (format.Codec == AudioCodec.Opus)
        {
            _opus = new OpusDecoder(48000, format.Channels);
        }
        else if (format.SampleRate != 48000)
        {
            _resampler = new Resampler(format.SampleRate, 48000);
        }
    }

    /// <summary>Takes one frame's payload; a gap in the sequence before it is concealed first.</summary>
    public void Add(uint sequence, ReadOnlySpan<byte> payload)
    {
        if (_nextSequence is { } expected)
        {
            int gap = (int)(sequence - expected);
            if (gap < 0)
            {
                return;
            }

            for (int i = 0; i < Math.Min(gap, MaxConcealed); i++)
            {
                Conceal();
            }
        }

        _nextSequence = sequence + 1;
        if (_opus is not null)
        {
            int samples = _opus.Decode(payload, _decoded);
            Append(_decoded.AsSpan(0, samples * _format.Channels));
        }
        else
        {
            int count = Math.Min(payload.Length / 2, _decoded.Length);
            for (int i = 0; i < count; i++)
            {
                _decoded[i] = BinaryPrimitives.ReadInt16LittleEndian(payload[(2 * i)..]) / 32768f;
            }

            if (_resampler is null)
            {
                Append(_decoded.AsSpan(0, count));
            }
            else
            {
                // The resampler works on one channel: downmix first.
                float[] mono = _format.Channels == 1 ? _decoded[..count] : Downmix.ToMono(_decoded.AsSpan(0, count), _format.Channels);
                AppendMono(_resampler.Process(mono));
            }
        }
    }

    /// <summary>Adds this stream's next <paramref name="mix"/>.Length samples into it; silence while it buffers.</summary>
    public void MixInto(Span<float> mix)
    {
        if (!_playing)
        {
            if (_buffer.Count < Prebuffer)
            {
                return;
            }

            _playing = true;
        }

        if (_buffer.Count < mix.Length)
        {
            // Ran dry: play what is left and buffer again before going on.
            _playing = false;
        }

        for (int i = 0; i < mix.Length && _buffer.Count > 0; i++)
        {
            mix[i] += _buffer.Dequeue();
        }
    }

    public void Dispose() => _opus?.Dispose();

    private void Conceal()
    {
        if (_opus is not null)
        {
            int samples = _opus.Conceal(_decoded);
            Append(_decoded.AsSpan(0, samples * _format.Channels));
        }
        else
        {
            AppendMono(new float[960]);
        }
    }

    private void Append(ReadOnlySpan<float> interleaved)
    {
        if (_format.Channels == 1)
        {
            AppendMono(interleaved);
            return;
        }

        AppendMono(Downmix.ToMono(interleaved, _format.Channels));
    }

    private void AppendMono(ReadOnlySpan<float> samples)
    {
        foreach (float sample in samples)
        {
            _buffer.Enqueue(sample);
        }

        if (_buffer.Count > MaxBuffered)
        {
            while (_buffer.Count > Prebuffer)
            {
                _buffer.Dequeue();
            }
        }
    }
}
