using Microsoft.Extensions.Logging;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>
/// Hands a room's frames to the receivers of one <see cref="ReceiverList"/> from a few thread-pool work items, the
/// writers, each with every n-th segment of the list: a frame's fan-out only appends it to them.
/// </summary>
/// <remarks>
/// A writer's run gives every receiver of its segments all the frames added since its last run, in one offer
/// (<see cref="OutboundQueue.EnqueueAudio"/>): to an idle receiver in one <c>send</c> from the run's thread, to a
/// busy one through its queue. The sender's thread goes back to reading at once and touches no receiver; the writes
/// spread over the cores; and when runs fall behind (a machine at its limit), the next run finds several frames and
/// each receiver gets them in one write, so the cost per frame falls as the load rises instead of the backlog growing.
/// Runs of one writer never overlap, so every receiver gets the frames in the order they were added. Before an event
/// is queued to the members, <see cref="Flush"/> hands over what waits, so no event overtakes earlier audio.
/// </remarks>
internal sealed class ReceiverWriters
{
    private readonly Writer[] _writers;

    /// <param name="count">Called after each run with the frames it queued or wrote and the older frames it dropped.</param>
    /// <param name="room">The room's name, for the log.</param>
    public ReceiverWriters(ReceiverList receivers, int writers, Action<int, int> count, string room, ILogger logger)
    {
        _writers = new Writer[writers];
        for (int i = 0; i < writers; i++)
        {
            _writers[i] = new Writer(receivers, i, writers, count, room, logger);
        }
    }

    /// <summary>
    /// Adds <paramref name="frame"/> for every receiver but <paramref name="sender"/>, taking references of its own,
    /// and makes sure a run follows for each of the first <paramref name="segments"/> segments.
    /// </summary>
    public void Add(SharedFrame frame, Participant? sender, int segments)
    {
        int count = Math.Min(segments, _writers.Length);
        for (int i = 0; i < count; i++)
        {
            _writers[i].Add(frame, sender);
        }
    }

    /// <summary>Queues, on this thread, what waits for a run; waits for a run in progress first.</summary>
    public void Flush()
    {
        foreach (var writer in _writers)
        {
            writer.Run(writeNow: false);
        }
    }

    private sealed class Writer(ReceiverList receivers, int first, int step, Action<int, int> count, string room, ILogger logger) : IThreadPoolWorkItem
    {
        private const int Idle = 0;
        private const int Scheduled = 1;
        private const int Running = 2;
        private const int RunAgain = 3;

        private readonly Lock _gate = new();
        private readonly Lock _running = new();
        private (SharedFrame Frame, Participant? Sender)[] _added = new (SharedFrame, Participant?)[8];
        private int _addedCount;
        private int _state;

        // Used only by the run that holds _running.
        private (SharedFrame Frame, Participant? Sender)[] _taken = new (SharedFrame, Participant?)[8];
        private SharedFrame[] _frames = new SharedFrame[8];
        private Participant?[] _senders = new Participant?[8];
        private SharedFrame[] _others = new SharedFrame[8];
        private readonly List<ArraySegment<byte>> _segments = new(8);

        public void Add(SharedFrame frame, Participant? sender)
        {
            frame.AddReferences(1);
            lock (_gate)
            {
                if (_addedCount == _added.Length)
                {
                    Array.Resize(ref _added, _addedCount * 2);
                }

                _added[_addedCount++] = (frame, sender);
            }

            Schedule();
        }

        private void Schedule()
        {
            while (true)
            {
                int state = Volatile.Read(ref _state);
                int next = state switch
                {
                    Idle => Scheduled,
                    Running => RunAgain,
                    _ => state,
                };
                if (next == state)
                {
                    return;
                }

                if (Interlocked.CompareExchange(ref _state, next, state) == state)
                {
                    if (state == Idle)
                    {
                        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                    }

                    return;
                }
            }
        }

        // One run at a time: a frame added while a run is in progress schedules one more after it, which then takes
        // every frame added meanwhile, instead of runs piling up on the same receivers.
        public void Execute()
        {
            Interlocked.Exchange(ref _state, Running);
            Run(writeNow: true);
            if (Interlocked.CompareExchange(ref _state, Idle, Running) != Running)
            {
                // Added to meanwhile: run again, behind whatever else waits for the pool.
                Volatile.Write(ref _state, Scheduled);
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }

        public void Run(bool writeNow)
        {
            lock (_running)
            {
                int taken;
                lock (_gate)
                {
                    taken = _addedCount;
                    if (taken == 0)
                    {
                        return;
                    }

                    (_added, _taken) = (_taken, _added);
                    _addedCount = 0;
                }

                if (_frames.Length < taken)
                {
                    _frames = new SharedFrame[_taken.Length];
                    _senders = new Participant?[_taken.Length];
                }

                for (int i = 0; i < taken; i++)
                {
                    (_frames[i], _senders[i]) = _taken[i];
                }

                try
                {
                    Deliver(taken, writeNow);
                }
                finally
                {
                    for (int i = 0; i < taken; i++)
                    {
                        _taken[i].Frame.Release();
                        _taken[i] = default;
                        _frames[i] = null!;
                        _senders[i] = null;
                    }
                }
            }
        }

        private void Deliver(int taken, bool writeNow)
        {
            var frames = _frames.AsSpan(0, taken);
            var senders = _senders.AsSpan(0, taken);
            var snapshot = receivers.Read();
            int queued = 0;
            int dropped = 0;
            for (int s = first; s < snapshot.SegmentCount; s += step)
            {
                var segment = snapshot.Segment(s);
                foreach (var frame in frames)
                {
                    frame.AddReferences(segment.Length);
                }

                foreach (var receiver in segment)
                {
                    // On a thread-pool thread an exception would end the process; here it costs one receiver its frames.
                    try
                    {
                        queued += receiver.Outbound.EnqueueAudio(ReceiverFrames.For(receiver, frames, senders, ref _others), ref dropped, writeNow ? _segments : null);
                    }
                    catch (Exception ex)
                    {
                        Log.ReceiverWriteFailed(logger, room, ex);
                    }
                }
            }

            count(queued, dropped);
        }

    }
}
