using System.Numerics;

namespace WsAudio.Server.Diagnostics;

/// <summary>
/// A few counters that every core adds to at once: each processor adds to its own stripe, and a read sums the
/// stripes. For counts of the send path, updated for every frame written to every receiver from every core, where
/// adds to one shared field make the cores take its cache line from each other on every add.
/// </summary>
/// <remarks>
/// An add is still interlocked, as a thread may move to another processor between finding its stripe and adding,
/// or share the processor with another thread; uncontended, that costs a few cycles. A read is not a snapshot:
/// counters read one after another may each include adds the other does not yet show.
/// </remarks>
internal sealed class StripedCounters
{
    // 16 longs: each stripe starts 128 bytes from the next, so no two share a cache line or its prefetched pair.
    private const int Spacing = 16;

    private readonly long[] _values;
    private readonly int _stride;
    private readonly int _mask;
    private readonly int _stripes;

    public StripedCounters(int counters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(counters, 1);
        Count = counters;
        _stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount);
        _mask = _stripes - 1;
        _stride = (counters + Spacing - 1) / Spacing * Spacing;

        // Leading space keeps the first stripe off the line of the array's header and length.
        _values = new long[Spacing + _stripes * _stride];
    }

    /// <summary>How many counters there are.</summary>
    public int Count { get; }

    public void Add(int counter, long value) => Interlocked.Add(ref _values[Stripe() + counter], value);

    public void Increment(int counter) => Interlocked.Increment(ref _values[Stripe() + counter]);

    public long Sum(int counter)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)counter, (uint)Count, nameof(counter));
        long sum = 0;
        for (int s = 0; s < _stripes; s++)
        {
            sum += Volatile.Read(ref _values[Spacing + s * _stride + counter]);
        }

        return sum;
    }

    private int Stripe() => Spacing + (Thread.GetCurrentProcessorId() & _mask) * _stride;
}
