using System.Buffers.Binary;
using WsAudio.Audio;
using WsAudio.Audio.Opus;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;

namespace WsAudio.Server.Outputs;

/// <summary>
/// One stream of a room decoded to 48 kHz mono and laid out on a timeline, 20 ms at a time: Opus through libopus,
/// PCM 16 converted and resampled. The stream starts once <see cref="Prebuffer"/> samples wait, which absorbs the
/// network's jitter; from then on every block is taken, silence where nothing came, so the stream's timeline keeps
/// its length whatever is lost.
/// </summary>
/// <remarks>
/// Frames are placed by their media timestamp: a gap (frames lost before the server) is concealed by libopus for up
/// to three frames, then silence, minus the silence already given out while the stream waited for them. A jump of a
/// second or more is a sender that paused or started over: it is not filled. The buffer holds up to
/// <see cref="MaxBuffered"/>: enough for what piles up while the server stalls (a long GC pause, a starved machine),
/// which the output loop then takes in a rush, and a stream that ran further ahead is brought back rather than heard
/// late.
/// </remarks>
internal sealed class StreamDecoder : IDisposable
{
    /// <summary>40 ms at 48 kHz.</summary>
    public const int Prebuffer = 1920;

    /// <summary>2 s at 48 kHz.</summary>
    public const int MaxBuffered = 96000;

    // Silence given out beyond this (200 ms at 48 kHz) was a pause, not late frames to make room for.
    private const int MaxOwed = 9600;

    private const int Rate = 48000;
    private const int FrameSamples = 960;

    // Lost frames concealed at most in a row; the rest of a longer gap is silence.
    private const int MaxConcealed = 3;

    private readonly AudioFormat _format;
    private readonly OpusDecoder? _opus;
    private readonly Resampler? _resampler;
    private readonly float[] _decoded;
    private readonly Queue<float> _buffer = new();

    // Each run of samples in the buffer with its capture time, for the capture time of a block; _headTaken of the
    // first run are already taken.
    private readonly Queue<(int Samples, long CaptureMicros)> _marks = new();
    private int _headTaken;
    private uint? _nextTimestamp;
    private long _owed;

    public StreamDecoder(AudioFormat format)
    {
        _format = format;
        _decoded = new float[OpusDecoder.MaxFrameSamples * 2];
        if (format.Codec == AudioCodec.Opus)
        {
            _opus = new OpusDecoder(Rate, format.Channels);
        }
        else if (format.SampleRate != Rate)
        {
            _resampler = new Resampler(format.SampleRate, Rate);
        }
    }

    /// <summary>True once the stream has started: from then on it is part of the timeline.</summary>
    public bool Playing { get; private set; }

    /// <summary>True when nothing waits to be taken.</summary>
    public bool Drained => _buffer.Count == 0;

    /// <summary>True once a frame marked end-of-stream came.</summary>
    public bool Ended { get; private set; }

    /// <summary>Frames libopus could not decode, and frames that came too late to be placed.</summary>
    public long Discarded { get; private set; }

    /// <summary>Takes one frame; a gap in the timestamps before it is concealed first.</summary>
    public void Add(in AudioFrameHeader header, ReadOnlySpan<byte> payload)
    {
        Ended |= header.IsEndOfStream;
        if (_nextTimestamp is { } expected)
        {
            long gap = (long)(int)(header.Timestamp - expected) * Rate / _format.SampleRate;
            if (gap < 0 && gap > -Rate)
            {
                // A frame already placed, or older: nothing to add.
                Discarded++;
                return;
            }

            if (gap > 0 && gap < Rate)
            {
                long fill = Math.Max(0, gap - _owed);
                _owed = Math.Max(0, _owed - gap);
                Fill((int)fill, header.CaptureTimeMicros == 0 ? 0 : header.CaptureTimeMicros - (fill * 1_000_000 / Rate), payload);
            }
        }

        // Silence given out for longer than MaxOwed was a pause whose timestamps did not run on: the stream simply goes
        // on later.
        if (_owed > MaxOwed)
        {
            _owed = 0;
        }

        int samples;
        try
        {
            samples = Decode(payload, out int consumed);
            _nextTimestamp = header.Timestamp + (uint)consumed;
        }
        catch (OpusException)
        {
            Discarded++;
            return;
        }

        Append(_decoded.AsSpan(0, samples), header.CaptureTimeMicros);

        // Catch up with the silence given out while this stream's frames were late, from what waits beyond the prebuffer.
        if (_owed > 0 && _buffer.Count > Prebuffer)
        {
            int dropped = (int)Math.Min(_owed, _buffer.Count - Prebuffer);
            Discard(dropped);
            _owed -= dropped;
        }

        if (_buffer.Count > MaxBuffered)
        {
            Discard(_buffer.Count - Prebuffer);
        }
    }

    /// <summary>
    /// Writes this stream's next <paramref name="block"/>.Length samples into it, silence where none came; returns
    /// false, writing nothing, while the stream has not started. <paramref name="captureMicros"/> is when the block's
    /// first sample was captured (0 when unknown).
    /// </summary>
    public bool Take(Span<float> block, out long captureMicros)
    {
        captureMicros = 0;
        if (!Playing)
        {
            if (_buffer.Count < Prebuffer)
            {
                return false;
            }

            Playing = true;
        }

        if (_marks.TryPeek(out var mark) && mark.CaptureMicros != 0)
        {
            captureMicros = mark.CaptureMicros + (_headTaken * 1_000_000L / Rate);
        }

        int available = Math.Min(block.Length, _buffer.Count);
        for (int i = 0; i < available; i++)
        {
            block[i] = _buffer.Dequeue();
        }

        block[available..].Clear();
        _owed += block.Length - available;
        ConsumeMarks(available);
        return true;
    }

    public void Dispose() => _opus?.Dispose();

    // Decodes into _decoded as 48 kHz mono; consumed is the frame's length in the stream's own timestamp units.
    private int Decode(ReadOnlySpan<byte> payload, out int consumed)
    {
        int channels = _format.Channels;
        if (_opus is not null)
        {
            int perChannel = _opus.Decode(payload, _decoded);
            consumed = perChannel;
            return ToMono(perChannel * channels);
        }

        int count = Math.Min(payload.Length / 2, _decoded.Length);
        count -= count % channels;
        consumed = count / channels;
        for (int i = 0; i < count; i++)
        {
            _decoded[i] = BinaryPrimitives.ReadInt16LittleEndian(payload[(2 * i)..]) / 32768f;
        }

        int mono = ToMono(count);
        if (_resampler is null)
        {
            return mono;
        }

        float[] resampled = _resampler.Process(_decoded.AsSpan(0, mono));
        resampled.CopyTo(_decoded, 0);
        return resampled.Length;
    }

    private int ToMono(int interleaved)
    {
        if (_format.Channels == 1)
        {
            return interleaved;
        }

        // In place: frame i is read from at or after index i before index i is written.
        int mono = interleaved / _format.Channels;
        Downmix.ToMono(_decoded.AsSpan(0, interleaved), _format.Channels, _decoded.AsSpan(0, mono));
        return mono;
    }

    // Conceals up to MaxConcealed lost frames (the last one from the FEC data inside the packet that follows them, when
    // it carries any), then silence for the rest of the gap.
    private void Fill(int samples, long captureMicros, ReadOnlySpan<byte> next)
    {
        int concealed = 0;
        int frames = _opus is null ? 0 : Math.Min(samples / FrameSamples, MaxConcealed);
        int silence = samples - (frames * FrameSamples);
        if (silence > 0)
        {
            Silence(silence, captureMicros);
        }

        for (int i = 0; i < frames; i++)
        {
            var pcm = _decoded.AsSpan(0, FrameSamples * _format.Channels);
            int perChannel = i == frames - 1 ? _opus!.RecoverFromNext(next, pcm) : _opus!.Conceal(pcm);
            int mono = ToMono(perChannel * _format.Channels);
            Append(_decoded.AsSpan(0, mono), captureMicros + ((silence + concealed) * 1_000_000L / Rate));
            concealed += mono;
        }
    }

    private void Silence(int samples, long captureMicros)
    {
        _marks.Enqueue((samples, captureMicros));
        for (int i = 0; i < samples; i++)
        {
            _buffer.Enqueue(0f);
        }
    }

    private void Append(ReadOnlySpan<float> samples, long captureMicros)
    {
        _marks.Enqueue((samples.Length, captureMicros));
        foreach (float sample in samples)
        {
            _buffer.Enqueue(sample);
        }
    }

    private void Discard(int samples)
    {
        for (int i = 0; i < samples; i++)
        {
            _buffer.Dequeue();
        }

        ConsumeMarks(samples);
    }

    private void ConsumeMarks(int samples)
    {
        _headTaken += samples;
        while (_marks.TryPeek(out var mark) && mark.Samples <= _headTaken)
        {
            _marks.Dequeue();
            _headTaken -= mark.Samples;
        }
    }
}
