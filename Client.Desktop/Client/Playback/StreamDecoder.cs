using WsAudio.Audio;
using WsAudio.Audio.Opus;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;

namespace WsAudio.Client.Playback;

/// <summary>
/// Turns one stream's frames into 48 kHz mono PCM placed on the stream's own timeline (samples since its first
/// frame). Follows the sequence numbers: a short gap is concealed, a duplicate or stale frame is dropped.
/// </summary>
internal sealed class StreamDecoder : IDisposable
{
    /// <summary>Longer gaps are not concealed: the stream is picked up where it resumes.</summary>
    private const int MaxConcealedFrames = 10;

    private readonly AudioFormat _format;
    private readonly OpusDecoder? _opus;
    private readonly Resampler? _resampler;
    private readonly float[] _pcm = new float[OpusDecoder.MaxFrameSamples * 2];
    private bool _started;
    private uint _nextSequence;
    private uint _lastTimestamp;
    private long _position;
    private int _lastFrameSamples = 960;

    public StreamDecoder(AudioFormat format, StreamStats stats)
    {
        _format = format;
        Stats = stats;
        if (format.Codec == AudioCodec.Opus)
        {
            _opus = new OpusDecoder(48000, 1);
        }
        else if (format.SampleRate != 48000)
        {
            _resampler = new Resampler(format.SampleRate, 48000);
        }
    }

    public StreamStats Stats { get; }

    /// <summary>Decodes one frame; <paramref name="emit"/> receives (timeline position, PCM) for it and for any concealed frames before it.</summary>
    public void Accept(in AudioFrameHeader header, ReadOnlySpan<byte> payload, Action<long, ReadOnlySpan<float>> emit)
    {
        if (_started)
        {
            int gap = (int)(header.Sequence - _nextSequence);
            if (gap < 0)
            {
                Stats.Duplicates++;
                return;
            }

            _position += (int)(header.Timestamp - _lastTimestamp) * 48000L / _format.SampleRate;
            if (gap > 0)
            {
                Stats.Lost += gap;
                if (gap <= MaxConcealedFrames)
                {
                    Conceal(gap, emit);
                }
            }
        }

        _started = true;
        _nextSequence = header.Sequence + 1;
        _lastTimestamp = header.Timestamp;
        if (payload.IsEmpty)
        {
            return;
        }

        try
        {
            int samples = Decode(payload);
            _lastFrameSamples = samples > 0 ? samples : _lastFrameSamples;
            Stats.Received++;
            emit(_position, _pcm.AsSpan(0, samples));
        }
        catch (OpusException)
        {
            Stats.Corrupt++;
        }
    }

    public void Dispose() => _opus?.Dispose();

    private int Decode(ReadOnlySpan<byte> payload)
    {
        if (_opus is not null)
        {
            return _opus.Decode(payload, _pcm);
        }

        int frames = payload.Length / 2 / _format.Channels;
        var mono = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            float sum = 0;
            for (int c = 0; c < _format.Channels; c++)
            {
                int at = ((i * _format.Channels) + c) * 2;
                sum += (short)(payload[at] | (payload[at + 1] << 8)) / 32768f;
            }

            mono[i] = sum / _format.Channels;
        }

        float[] converted = _resampler?.Process(mono) ?? mono;
        converted.CopyTo(_pcm, 0);
        return converted.Length;
    }

    private void Conceal(int frames, Action<long, ReadOnlySpan<float>> emit)
    {
        long position = _position - ((long)frames * _lastFrameSamples);
        for (int i = 0; i < frames; i++, position += _lastFrameSamples)
        {
            var target = _pcm.AsSpan(0, _lastFrameSamples);
            if (_opus is not null)
            {
                _opus.Conceal(target);
            }
            else
            {
                target.Clear();
            }

            Stats.Concealed++;
            emit(position, target);
        }
    }
}
