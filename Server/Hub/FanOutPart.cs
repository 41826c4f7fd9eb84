using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>
/// A share of one frame's fan-out offered to the thread pool: the receivers of some segments of a large room.
/// The thread that fans out waits for its parts before it returns, so a room's messages keep their order; it runs
/// any part no pool thread has started yet itself, so it never waits on a busy pool. Parts are reused from frame
/// to frame: spreading a fan-out over the cores allocates nothing.
/// </summary>
internal sealed class FanOutPart : IThreadPoolWorkItem
{
    private const int Queued = 0;
    private const int Taken = 1;

    private readonly object _gate = new();
    private bool _done;
    private Room? _room;
    private ReceiverList.Snapshot _receivers;
    private int _from;
    private int _to;
    private SharedFrame? _frame;
    private Participant? _sender;

    // Taken until the next Start: a work item still queued from an earlier frame finds nothing to do.
    private int _state = Taken;

    /// <summary>The next part of the same fan-out, for the thread that waits for them all.</summary>
    public FanOutPart? Next { get; set; }

    /// <summary>Offers segments [<paramref name="from"/>, <paramref name="to"/>) to the thread pool.</summary>
    public void Start(Room room, ReceiverList.Snapshot receivers, int from, int to, SharedFrame frame, Participant? sender)
    {
        (_room, _receivers, _from, _to, _frame, _sender) = (room, receivers, from, to, frame, sender);
        _done = false;
        Volatile.Write(ref _state, Queued);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Runs the part here if no pool thread took it, else waits until it is done.</summary>
    public void Join()
    {
        if (TryRun())
        {
            return;
        }

        // A pool thread is on it, with some hundred receivers to write to: a short spin, then a sleep.
        var spin = new SpinWait();
        while (!Volatile.Read(ref _done) && !spin.NextSpinWillYield)
        {
            spin.SpinOnce();
        }

        lock (_gate)
        {
            while (!_done)
            {
                Monitor.Wait(_gate);
            }
        }
    }

    public void Execute() => TryRun();

    private bool TryRun()
    {
        if (Interlocked.CompareExchange(ref _state, Taken, Queued) != Queued)
        {
            return false;
        }

        _room!.Deliver(_receivers, _from, _to, _frame!, _sender);
        (_room, _receivers, _frame, _sender) = (null, default, null, null);
        lock (_gate)
        {
            _done = true;
            Monitor.PulseAll(_gate);
        }

        return true;
    }
}
