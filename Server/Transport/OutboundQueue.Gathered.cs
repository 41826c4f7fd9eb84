namespace WsAudio.Server.Transport;

/// <summary>Several audio frames offered at once, for a producer that gathers a member's frames into one write.</summary>
internal sealed partial class OutboundQueue
{
    /// <summary>
    /// Offers several audio frames, in order, under one lock. A control message among them (an event a room's writers
    /// carry in order with its audio) goes with them, but waits, if it must, as control: it is never dropped. When the consumer is idle with nothing queued and
    /// <paramref name="segments"/> is given, they are written to the socket at once, in one gathering write on this
    /// thread, and only what the socket does not take is queued; otherwise an idle consumer is woken once, on the
    /// thread pool. Takes over one reference to each frame, whatever happens: those refused (the queue is closed, or
    /// closes as overflowed on the way) are released here. Returns how many audio frames were written or queued; adds
    /// to <paramref name="dropped"/> the older frames dropped to make room.
    /// </summary>
    /// <param name="segments">Scratch list for the gathering write, used only during the call.</param>
    public int EnqueueAudio(ReadOnlySpan<SharedFrame> frames, ref int dropped, List<ArraySegment<byte>>? segments = null)
    {
        int taken = 0;
        int written = 0;
        int events = 0;
        int evicted = 0;
        bool overflowed = false;
        bool broken = false;
        bool wake;
        lock (_gate)
        {
            if (!_finished && !_closed)
            {
                if (segments is not null && _consumerWaiting && _writer is not null && _partial is null && _audio.Count == 0 && _control.Count == 0)
                {
                    written = WriteNowLocked(frames, segments, out broken);
                    taken = broken ? 0 : written;
                    if (!broken && taken < frames.Length && _partial is not null)
                    {
                        // Began in the middle of a frame: that frame is now the consumer's to finish.
                        taken++;
                    }

                    foreach (var frame in frames[..taken])
                    {
                        events += frame.IsAudio ? 0 : 1;
                    }
                }

                long now = Environment.TickCount64;
                for (; taken < frames.Length && !broken; taken++)
                {
                    if (!frames[taken].IsAudio)
                    {
                        if (_control.Count == _controlLimit)
                        {
                            overflowed = true;
                            _closed = true;
                            break;
                        }

                        _control.Push(frames[taken], _nextStamp++);
                        events++;
                        continue;
                    }

                    if (_audio.Count == _audioLimit)
                    {
                        _audio.Pop().Release();
                        evicted++;
                        if (IsSlowFor(now))
                        {
                            overflowed = true;
                            _closed = true;
                            break;
                        }
                    }

                    _audio.Push(frames[taken], _nextStamp++);
                }
            }

            wake = (taken > written || overflowed || broken) && TakeWaitingConsumer();
        }

        if (written > 0)
        {
            _owner?.OnWritten(frames[..written]);
            foreach (var frame in frames[..written])
            {
                frame.Release();
            }
        }

        for (int i = taken; i < frames.Length; i++)
        {
            frames[i].Release();
        }

        if (wake)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        if (overflowed)
        {
            _owner?.OnOverflow();
        }

        if (broken)
        {
            _owner?.OnBroken();
        }

        if (evicted > 0)
        {
            Interlocked.Add(ref _dropped, evicted);
            dropped += evicted;
        }

        return taken - events;
    }

    // One gathering write of frames to the idle consumer's socket; returns how many went whole. A frame written in
    // part becomes the partial one, for the consumer to finish before anything else.
    private int WriteNowLocked(ReadOnlySpan<SharedFrame> frames, List<ArraySegment<byte>> segments, out bool broken)
    {
        segments.Clear();
        int total = 0;
        foreach (var frame in frames)
        {
            segments.Add(frame.WireSegment(0));
            total += segments[^1].Count;
        }

        int sent = GatheredWrite.TryWriteNow(_writer!, segments, total);
        segments.Clear();
        broken = sent < 0;
        if (broken)
        {
            _closed = true;
            return 0;
        }

        int whole = 0;
        while (whole < frames.Length && sent >= frames[whole].Wire.Length)
        {
            sent -= frames[whole].Wire.Length;
            whole++;
        }

        if (whole < frames.Length && sent > 0)
        {
            _partial = frames[whole];
            _partialOffset = sent;
        }

        return whole;
    }
}
