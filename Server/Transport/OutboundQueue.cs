using System.Threading.Channels;

namespace WsAudio.Server.Transport;

/// <summary>
/// Messages waiting to be written to one connection, in the order they were offered. Audio is bounded and drops
/// its oldest frame when full, so a slow reader never holds anyone up; control messages are never dropped, and
/// a connection that lets too many pile up is closed as slow instead.
/// </summary>
/// <remarks>
/// Audio and control wait in two rings, stamped from one counter under one lock, and leave in stamp order: a
/// <c>stream-started</c> always precedes the stream's first frame, and dropping the oldest audio frame is O(1).
/// A channel serves as the doorbell for the single consumer, rung only when it waits, so the steady state costs
/// one uncontended lock per message and no allocation.
/// </remarks>
internal sealed class OutboundQueue : IThreadPoolWorkItem
{
    private const int InitialCapacity = 8;

    private readonly Lock _gate = new();
    private readonly Channel<bool> _doorbell = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly int _audioLimit;
    private readonly int _controlLimit;
    private readonly long _slowAfterMs;
    private readonly Action? _onOverflow;
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
    /// <param name="onOverflow">
    /// Called once, on the producing thread, when the queue closes as overflowed. The consumer may be stuck in a
    /// write that never completes, so the owner must act (close the connection) rather than wait for it to notice.
    /// </param>
    public OutboundQueue(int audioLimit, int controlLimit, TimeSpan? slowConsumerTimeout = null, Action? onOverflow = null)
    {
        _audioLimit = audioLimit;
        _controlLimit = controlLimit;
        _slowAfterMs = (long)(slowConsumerTimeout ?? Timeout.InfiniteTimeSpan).TotalMilliseconds;
        _onOverflow = onOverflow;
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
                return _audio.Count + _control.Count;
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
    /// <param name="frame">The message.</param>
    /// <param name="wakeInline">
    /// When the consumer waits, run it on this thread now (true, the cheapest for one message) or on the thread
    /// pool (false, for a producer with many queues to fill, which should not write to each in turn).
    /// </param>
    public EnqueueResult Enqueue(SharedFrame frame, bool wakeInline = true)
    {
        SharedFrame? evicted = null;
        bool wake;
        bool rejected = false;
        lock (_gate)
        {
            if (_closed)
            {
                return EnqueueResult.Rejected;
            }

            if (frame.IsAudio)
            {
                if (_audio.Count == _audioLimit)
                {
                    evicted = _audio.Pop();
                    rejected = IsSlowFor(Environment.TickCount64);
                }

                if (!rejected)
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
                rejected = true;
            }

            if (rejected)
            {
                _closed = true;
            }

            wake = TakeWaitingConsumer();
        }

        // Outside the lock: the doorbell may run the consumer's send loop on this thread.
        if (wake && !wakeInline)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        else
        {
            Ring(wake);
        }

        if (rejected)
        {
            _onOverflow?.Invoke();
        }
        if (evicted is not null)
        {
            Interlocked.Increment(ref _dropped);
            evicted.Release();
        }

        return rejected ? EnqueueResult.Rejected : evicted is null ? EnqueueResult.Queued : EnqueueResult.QueuedDroppedOldest;
    }

    /// <summary>Takes the next message in order; the caller owns its reference and must release it.</summary>
    public bool TryDequeue(out SharedFrame? frame)
    {
        _doorbell.Reader.TryRead(out _);
        lock (_gate)
        {
            if (_control.Count > 0 && (_audio.Count == 0 || _control.HeadStamp < _audio.HeadStamp))
            {
                frame = _control.Pop();
                return true;
            }

            if (_audio.Count > 0)
            {
                frame = _audio.Pop();
                if (_audio.Count <= _audioLimit / 2)
                {
                    // Caught up: the next overflow starts a new slow period.
                    _droppingSince = 0;
                }

                return true;
            }

            frame = null;
            return false;
        }
    }

    /// <summary>Completes when a message is waiting or the queue is closed (then it may stay empty for good).</summary>
    public ValueTask<bool> WaitAsync()
    {
        lock (_gate)
        {
            if (_audio.Count > 0 || _control.Count > 0 || _closed)
            {
                return new ValueTask<bool>(true);
            }

            _consumerWaiting = true;
        }

        return _doorbell.Reader.WaitToReadAsync();
    }

    /// <summary>Refuses further messages. Queued ones stay for the consumer unless <paramref name="discardQueued"/>.</summary>
    public void Close(bool discardQueued)
    {
        List<SharedFrame>? discarded = null;
        bool wake;
        lock (_gate)
        {
            _closed = true;
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

    // The thread-pool wake-up of Enqueue(frame, wakeInline: false); at most one is pending, as only the producer
    // that found the consumer waiting rings.
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
            _doorbell.Writer.TryWrite(true);
        }
    }
}
