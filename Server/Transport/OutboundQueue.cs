using System.Threading.Tasks.Sources;

namespace WsAudio.Server.Transport;

/// <summary>
/// Messages waiting to be written to one connection, in the order they were offered. Audio is bounded and drops
/// its oldest frame when full, so a slow reader never holds anyone up; control messages are never dropped, and
/// a connection that lets too many pile up is closed as slow instead.
/// </summary>
/// <remarks>
/// Audio and control wait in two rings, stamped from one counter under one lock, and leave in stamp order: a
/// <c>stream-started</c> always precedes the stream's first frame, and dropping the oldest audio frame is O(1).
/// The queue itself is the doorbell the single consumer awaits, rung only when it waits, so the steady state costs
/// one uncontended lock per message and no allocation.
/// With an <see cref="IWireWriter"/> that can write without waiting, a message given to <see cref="Enqueue"/> (a
/// reply to this connection, a protocol frame) while nothing waits and the consumer is idle does not wait either:
/// it is written to the socket then and there, under the lock, so order holds. <see cref="EnqueueAudio"/> does the
/// same for several frames at once, in one gathering write: a room's writers use it. Only what the socket does not
/// take at once is queued, for the consumer to finish; a frame written in part is never dropped, or the bytes on the
/// wire would stop being WebSocket frames. <see cref="EnqueueForPool"/> never writes on the caller's thread, for a
/// producer that must not wait for writes (an event queued under a room's lock).
/// </remarks>
internal sealed partial class OutboundQueue : IThreadPoolWorkItem, IValueTaskSource<bool>
{
    private const int InitialCapacity = 8;

    private readonly Lock _gate = new();

    // One wait at a time, reset under the lock as the consumer starts waiting; only the producer that then takes the
    // waiting consumer rings it, once. Continuations run on the ringing thread, as the fan-out design wants. A
    // channel would do the same with two more objects and a queue segment per connection.
    private ManualResetValueTaskSourceCore<bool> _doorbell;
    private readonly int _audioLimit;
    private readonly int _controlLimit;
    private readonly long _slowAfterMs;
    private readonly IWireWriter? _writer;
    private readonly IOutboundOwner? _owner;
    private SharedFrame? _partial;
    private int _partialOffset;
    private bool _finished;
    private long _droppingSince;
    private FrameRing _audio = new(InitialCapacity);
    private FrameRing _control = new(InitialCapacity);
    private long _nextStamp;
    private bool _consumerWaiting;
    private bool _closed;
    private long _dropped;

    /// <param name="audioLimit">Audio frames kept; beyond, the oldest is dropped.</param>
    /// <param name="controlLimit">Control messages kept; beyond, the queue closes as overflowed.</param>
    /// <param name="slowConsumerTimeout">How long the audio may keep overflowing before the queue closes as overflowed; infinite by default.</param>
    /// <param name="writer">Writes a message at once when the consumer is idle; without one, the consumer writes everything.</param>
    /// <param name="owner">Told of overflow, of what <paramref name="writer"/> wrote at once, and of a broken connection.</param>
    public OutboundQueue(int audioLimit, int controlLimit, TimeSpan? slowConsumerTimeout = null, IWireWriter? writer = null, IOutboundOwner? owner = null)
    {
        _audioLimit = audioLimit;
        _controlLimit = controlLimit;
        _slowAfterMs = (long)(slowConsumerTimeout ?? Timeout.InfiniteTimeSpan).TotalMilliseconds;
        _writer = writer;
        _owner = owner;
    }

    /// <summary>Audio frames dropped because this queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Messages waiting now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _audio.Count + _control.Count + (_partial is null ? 0 : 1);
            }
        }
    }

    /// <summary>True once no more messages are accepted.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>
    /// Offers <paramref name="frame"/>, taking over one reference to it that the caller already added. When the
    /// result is <see cref="EnqueueResult.Rejected"/> the caller still owns that reference.
    /// </summary>
    public EnqueueResult Enqueue(SharedFrame frame) => Offer(frame, protocol: false, onPool: false);

    /// <summary>
    /// As <see cref="Enqueue"/>, but never writes or runs the consumer on this thread: an idle consumer is woken on
    /// the thread pool. For a producer with thousands of queues to fill, whose own work must not wait for the
    /// writes.
    /// </summary>
    public EnqueueResult EnqueueForPool(SharedFrame frame) => Offer(frame, protocol: false, onPool: true);

    /// <summary>
    /// Offers a frame of the WebSocket protocol itself (ping, pong, close), which is accepted after
    /// <see cref="Close"/> too, as long as the consumer runs: a close frame follows the messages queued before it.
    /// Ownership of the reference as for <see cref="Enqueue"/>.
    /// </summary>
    public EnqueueResult EnqueueProtocol(SharedFrame frame) => Offer(frame, protocol: true, onPool: false);

    private EnqueueResult Offer(SharedFrame frame, bool protocol, bool onPool)
    {
        SharedFrame? evicted = null;
        bool wake;
        bool rejected = false;
        bool overflowed = false;
        bool written = false;
        bool broken = false;
        lock (_gate)
        {
            if (_finished || (_closed && !protocol))
            {
                return EnqueueResult.Rejected;
            }

            if (!onPool && _consumerWaiting && _writer is not null && _partial is null && _audio.Count == 0 && _control.Count == 0)
            {
                int length = frame.Wire.Length;
                int sent = _writer.TryWriteNow(frame.Wire.Span);
                if (sent == length)
                {
                    written = true;
                }
                else if (sent < 0)
                {
                    _closed = true;
                    rejected = true;
                    broken = true;
                }
                else
                {
                    _partial = frame;
                    _partialOffset = sent;
                }
            }
            else if (frame.IsAudio)
            {
                if (_audio.Count == _audioLimit)
                {
                    evicted = _audio.Pop();
                    overflowed = IsSlowFor(Environment.TickCount64);
                }

                if (!overflowed)
                {
                    _audio.Push(frame, _nextStamp++);
                }
            }
            else if (_control.Count < _controlLimit)
            {
                _control.Push(frame, _nextStamp++);
            }
            else
            {
                overflowed = true;
            }

            if (overflowed)
            {
                _closed = true;
                rejected = true;
            }

            wake = !written && TakeWaitingConsumer();
        }

        // Outside the lock: the doorbell may run the consumer's send loop on this thread.
        if (wake && onPool)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        else
        {
            Ring(wake);
        }

        if (overflowed)
        {
            _owner?.OnOverflow();
        }

        if (broken)
        {
            _owner?.OnBroken();
        }

        if (evicted is not null)
        {
            Interlocked.Increment(ref _dropped);
            evicted.Release();
        }

        if (written)
        {
            _owner?.OnWritten(new ReadOnlySpan<SharedFrame>(in frame));
            frame.Release();
        }

        return rejected ? EnqueueResult.Rejected : evicted is null ? EnqueueResult.Queued : EnqueueResult.QueuedDroppedOldest;
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> messages in order into <paramref name="batch"/>, the caller then owning
    /// their references; <paramref name="offset"/> is how much of the first was already written (the rest must go
    /// before anything else). False when nothing waits.
    /// </summary>
    /// <remarks>
    /// A receiver that fell behind gets everything that waited for it in one write: fewer, larger TCP segments,
    /// which is what lets a peer that reads slowly catch up instead of falling further behind.
    /// </remarks>
    public bool TryDequeue(List<SharedFrame> batch, int max, out int offset)
    {
        offset = 0;
        lock (_gate)
        {
            if (_partial is not null)
            {
                batch.Add(_partial);
                offset = _partialOffset;
                _partial = null;
            }

            while (batch.Count < max)
            {
                if (_control.Count > 0 && (_audio.Count == 0 || _control.HeadStamp < _audio.HeadStamp))
                {
                    batch.Add(_control.Pop());
                }
                else if (_audio.Count > 0)
                {
                    batch.Add(_audio.Pop());
                }
                else
                {
                    break;
                }
            }

            if (_audio.Count <= _audioLimit / 2)
            {
                // Caught up: the next overflow starts a new slow period.
                _droppingSince = 0;
            }

            return batch.Count > 0;
        }
    }

    /// <summary>
    /// Gives back the storage of an empty ring, for a consumer that expects to wait long: a receiver that is written
    /// to directly needs none, and one event queued to it (a <c>stream-started</c> to a whole audience) should not
    /// leave it holding rings for good.
    /// </summary>
    public void TrimEmptyRings()
    {
        lock (_gate)
        {
            _audio.TrimIfEmpty();
            _control.TrimIfEmpty();
        }
    }

    /// <summary>Completes when a message is waiting or the queue is closed (then it may stay empty for good).</summary>
    public ValueTask<bool> WaitAsync()
    {
        lock (_gate)
        {
            if (_audio.Count > 0 || _control.Count > 0 || _partial is not null || _closed)
            {
                return new ValueTask<bool>(true);
            }

            _consumerWaiting = true;
            _doorbell.Reset();
            return new ValueTask<bool>(this, _doorbell.Version);
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _doorbell.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _doorbell.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _doorbell.OnCompleted(continuation, state, token, flags);

    /// <summary>
    /// Refuses further messages. Queued ones stay for the consumer unless <paramref name="discardQueued"/>; a message
    /// written in part always stays.
    /// </summary>
    public void Close(bool discardQueued) => Close(discardQueued, finished: false);

    /// <summary>The consumer is gone: nothing more is accepted, not even protocol frames, and nothing stays.</summary>
    public void Finish() => Close(discardQueued: true, finished: true);

    private void Close(bool discardQueued, bool finished)
    {
        List<SharedFrame>? discarded = null;
        bool wake;
        lock (_gate)
        {
            _closed = true;
            _finished |= finished;
            if (discardQueued)
            {
                discarded = new List<SharedFrame>(_audio.Count + _control.Count);
                while (_audio.Count > 0)
                {
                    discarded.Add(_audio.Pop());
                }

                while (_control.Count > 0)
                {
                    discarded.Add(_control.Pop());
                }

                if (finished && _partial is not null)
                {
                    discarded.Add(_partial);
                    _partial = null;
                }
            }

            wake = TakeWaitingConsumer();
        }

        discarded?.ForEach(f => f.Release());
        Ring(wake);
    }

    // Overflowing now; true once it has been overflowing, without catching up, for longer than allowed.
    private bool IsSlowFor(long now)
    {
        if (_slowAfterMs < 0)
        {
            return false;
        }

        if (_droppingSince == 0)
        {
            _droppingSince = now;
            return false;
        }

        return now - _droppingSince >= _slowAfterMs;
    }

    // The wake-up of EnqueueForPool: at most one is pending, as only the producer that found the consumer waiting
    // rings. The consumer's send loop then runs on this pool thread.
    void IThreadPoolWorkItem.Execute() => Ring(true);

    private bool TakeWaitingConsumer()
    {
        bool waiting = _consumerWaiting;
        _consumerWaiting = false;
        return waiting;
    }

    private void Ring(bool wake)
    {
        if (wake)
        {
            _doorbell.SetResult(true);
        }
    }
}
