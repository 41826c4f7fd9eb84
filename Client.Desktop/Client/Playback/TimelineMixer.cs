namespace WsAudio.Client.Playback;

/// <summary>
/// Sums PCM placed at absolute sample positions and hands it out in order. What arrives for a position already
/// handed out is late and discarded. Thread-safe.
/// </summary>
public sealed class TimelineMixer
{
    /// <summary>Audio placed further ahead than this (60 s at 48 kHz) is refused rather than buffered.</summary>
    private const long MaxAhead = 60 * 48000;

    private readonly Lock _gate = new();
    private float[] _buffer = new float[48000];
    private long _drained;
    private long _end;

    /// <summary>The position after the last sample mixed in so far.</summary>
    public long End
    {
        get
        {
            lock (_gate)
            {
                return _end;
            }
        }
    }

    /// <summary>Everything before this position has been handed out.</summary>
    public long Drained
    {
        get
        {
            lock (_gate)
            {
                return _drained;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="pcm"/> starting at <paramref name="position"/>; returns how many samples were not used
    /// because they were too late (or absurdly far ahead).
    /// </summary>
    public int Mix(long position, ReadOnlySpan<float> pcm)
    {
        lock (_gate)
        {
            int late = (int)Math.Clamp(_drained - position, 0, pcm.Length);
            pcm = pcm[late..];
            position += late;
            if (pcm.IsEmpty)
            {
                return late;
            }

            long needed = position + pcm.Length - _drained;
            if (needed > MaxAhead)
            {
                return late + pcm.Length;
            }

            if (needed > _buffer.Length)
            {
                Array.Resize(ref _buffer, (int)Math.Max(needed, _buffer.Length * 2L));
            }

            var target = _buffer.AsSpan((int)(position - _drained), pcm.Length);
            for (int i = 0; i < pcm.Length; i++)
            {
                target[i] += pcm[i];
            }

            _end = Math.Max(_end, position + pcm.Length);
            return late;
        }
    }

    /// <summary>Hands out the samples before <paramref name="upTo"/> not yet handed out (silence where nothing was mixed).</summary>
    public float[] Drain(long upTo)
    {
        lock (_gate)
        {
            int count = (int)Math.Max(0, upTo - _drained);
            var output = new float[count];
            int available = Math.Min(count, _buffer.Length);
            _buffer.AsSpan(0, available).CopyTo(output);
            _buffer.AsSpan(available).CopyTo(_buffer);
            _buffer.AsSpan(_buffer.Length - available).Clear();
            _drained += count;
            return output;
        }
    }
}
