using System.Diagnostics;
using WsAudio.Server.Diagnostics;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>The send path's counters, which every core adds to at once.</summary>
public sealed class SendCountersTests
{
    [Test]
    public void Add_FromSeveralThreadsAtOnce_SumsEveryAdd()
    {
        const int Threads = 4;
        const int Adds = 200_000;
        var counters = new StripedCounters(3);
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < Adds; i++)
            {
                counters.Increment(0);
                counters.Add(2, 3);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            Assert.That(thread.Join(Timeouts.Event), Is.True);
        }

        Assert.Multiple(() =>
        {
            Assert.That(counters.Sum(0), Is.EqualTo(Threads * Adds));
            Assert.That(counters.Sum(1), Is.Zero, "a counter nobody added to");
            Assert.That(counters.Sum(2), Is.EqualTo(3L * Threads * Adds));
        });
    }

    [Test]
    public void Sum_CounterOutOfRange_Throws()
    {
        var counters = new StripedCounters(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => counters.Sum(2));
    }

    [Test]
    public void RecordTicks_OnAndAroundBounds_CountsInTheBucketWhoseBoundIsNotBelow()
    {
        var histogram = new LatencyHistogram();
        long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

        histogram.RecordTicks(0);                    // bucket 0 (≤ 50 µs)
        histogram.RecordTicks(Ticks(0.00005));       // on the first bound: still bucket 0
        histogram.RecordTicks(Ticks(0.00005) + 1);   // just past it: bucket 1 (≤ 100 µs)
        histogram.RecordTicks(Ticks(0.02));          // bucket 8 (≤ 25 ms)
        histogram.RecordTicks(Ticks(2.5));           // on the last bound: bucket 14
        histogram.RecordTicks(Ticks(3));             // past every bound: +Inf

        long[] counts = histogram.Snapshot();
        long[] expected = new long[LatencyHistogram.Bounds.Length + 1];
        expected[0] = 2;
        expected[1] = 1;
        expected[8] = 1;
        expected[14] = 1;
        expected[15] = 1;
        Assert.Multiple(() =>
        {
            Assert.That(counts, Is.EqualTo(expected));
            Assert.That(histogram.SumSeconds, Is.EqualTo(0.00005 * 2 + 0.02 + 2.5 + 3).Within(1e-6));
        });
    }
}
