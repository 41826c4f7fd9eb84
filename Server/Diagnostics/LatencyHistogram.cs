using System.Diagnostics;

namespace WsAudio.Server.Diagnostics;

/// <summary>
/// A lock-free histogram of durations with fixed Prometheus buckets (upper bounds in seconds). Recording finds the
/// bucket among 15 bounds and makes two uncontended interlocked adds (<see cref="StripedCounters"/>).
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>Bucket upper bounds in seconds: 50 µs to 2.5 s.</summary>
    public static readonly double[] Bounds = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private static readonly long[] BoundTicks = Bounds.Select(b => (long)(b * Stopwatch.Frequency)).ToArray();

    // One counter per bucket (the last past every bound), then the sum of the recorded ticks.
    private static readonly int SumCounter = Bounds.Length + 1;

    private readonly StripedCounters _counters = new(Bounds.Length + 2);

    public void RecordTicks(long ticks)
    {
        // A bucket is inclusive of its upper bound, as Prometheus' "le" says.
        int index = 0;
        var bounds = BoundTicks;
        while (index < bounds.Length && ticks > bounds[index])
        {
            index++;
        }

        _counters.Increment(index);
        _counters.Add(SumCounter, ticks);
    }

    /// <summary>Count per bucket (the last one is +Inf, past every bound), not cumulative.</summary>
    public long[] Snapshot()
    {
        var counts = new long[Bounds.Length + 1];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = _counters.Sum(i);
        }

        return counts;
    }

    public double SumSeconds => (double)_counters.Sum(SumCounter) / Stopwatch.Frequency;
}
