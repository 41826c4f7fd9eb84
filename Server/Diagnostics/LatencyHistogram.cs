using System.Diagnostics;

namespace WsAudio.Server.Diagnostics;

/// <summary>
/// A lock-free histogram of durations with fixed Prometheus buckets (upper bounds in seconds). Recording is one
/// binary search and one interlocked increment.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>Bucket upper bounds in seconds: 50 µs to 2.5 s.</summary>
    public static readonly double[] Bounds = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private static readonly long[] BoundTicks = Bounds.Select(b => (long)(b * Stopwatch.Frequency)).ToArray();

    private readonly long[] _counts = new long[Bounds.Length + 1];
    private long _sumTicks;

    public void RecordTicks(long ticks)
    {
        int index = Array.BinarySearch(BoundTicks, ticks);
        if (index < 0)
        {
            index = ~index;
        }

        Interlocked.Increment(ref _counts[index]);
        Interlocked.Add(ref _sumTicks, ticks);
    }

    /// <summary>Count per bucket (the last one is +Inf, past every bound), not cumulative.</summary>
    public long[] Snapshot()
    {
        var counts = new long[_counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = Volatile.Read(ref _counts[i]);
        }

        return counts;
    }

    public double SumSeconds => (double)Interlocked.Read(ref _sumTicks) / Stopwatch.Frequency;
}
