namespace WsAudio.Cli.Bot;

/// <summary>
/// A lock-free latency histogram with 0.1 ms buckets up to 2 s (exact enough for p99 at these scales), plus the
/// maximum. Recording is one division and one interlocked increment.
/// </summary>
internal sealed class LatencyRecorder
{
    private const int BucketMicros = 100;
    private const int Buckets = 20_000;
    private readonly long[] _counts = new long[Buckets + 1];
    private long _max;
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Record(long micros)
    {
        long bucket = Math.Clamp(micros / BucketMicros, 0, Buckets);
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _count);
        long max = Interlocked.Read(ref _max);
        while (micros > max && Interlocked.CompareExchange(ref _max, micros, max) != max)
        {
            max = Interlocked.Read(ref _max);
        }
    }

    /// <summary>The latency in ms below which <paramref name="fraction"/> of the recorded ones fall (upper bucket edge).</summary>
    public double PercentileMs(double fraction)
    {
        long total = Count;
        if (total == 0)
        {
            return 0;
        }

        long rank = (long)Math.Ceiling(fraction * total);
        long seen = 0;
        for (int i = 0; i <= Buckets; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return i == Buckets ? MaxMs : (i + 1) * BucketMicros / 1000.0;
            }
        }

        return MaxMs;
    }

    public double MaxMs => Interlocked.Read(ref _max) / 1000.0;
}
