using WsAudio.Protocol.Messages;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>The room's audio: fan-out of each frame to the receivers, and the LIVE / OFFLINE of each stream.</summary>
internal sealed partial class Room
{
    private long _framesOut;
    private long _dropped;

    // Only the flush in progress uses it (flushes run one at a time).
    private readonly List<ArraySegment<byte>> _flushSegments = new(8);
    private SharedFrame[] _flushScratch = new SharedFrame[8];

    /// <summary>Audio frames queued for this room's receivers.</summary>
    public long FramesOut => Interlocked.Read(ref _framesOut);

    /// <summary>Audio frames dropped because a receiver's queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Forwards one validated audio frame of <paramref name="sender"/> to every receiver but the sender. The bytes
    /// are copied once into a pooled frame that all receivers share.
    /// </summary>
    /// <remarks>
    /// A muted sender's frames are dropped here as if never sent: they are not forwarded, do not start its stream
    /// and do not keep it live, so a stream muted for longer than the idle time stops (reason <c>idle</c>) and starts
    /// again with the first frame after the unmute. Its end-of-stream flag still ends a live stream.
    /// </remarks>
    public void PublishAudio(Participant sender, ReadOnlySpan<byte> frame, bool endOfStream)
    {
        _metrics.FrameReceived(frame.Length);
        if (!sender.Muted)
        {
            if (Interlocked.Exchange(ref sender.LastFrameTicks, Environment.TickCount64) == Participant.Offline)
            {
                StartStream(sender);
            }

            FanOut(sender, frame, fromBroker: false);
        }

        if (endOfStream)
        {
            Interlocked.Exchange(ref sender.LastFrameTicks, Participant.Offline);
            lock (_gate)
            {
                StopStreamLocked(sender, StreamStopReason.EndOfStream);
            }
        }
    }

    /// <summary>Announces <c>stream-stopped</c> for senders silent for <paramref name="idleMilliseconds"/>.</summary>
    public void StopIdleStreams(long nowTicks, long idleMilliseconds)
    {
        lock (_gate)
        {
            foreach (var sender in _senders)
            {
                if (!sender.AnnouncedLive)
                {
                    continue;
                }

                long seen = Volatile.Read(ref sender.LastFrameTicks);
                if (seen != Participant.Offline)
                {
                    // A frame that lands between the read and the swap keeps the stream live.
                    if (nowTicks - seen < idleMilliseconds ||
                        Interlocked.CompareExchange(ref sender.LastFrameTicks, Participant.Offline, seen) != seen)
                    {
                        continue;
                    }
                }

                StopStreamLocked(sender, StreamStopReason.Idle);
            }
        }
    }

    private void FanOut(Participant? sender, ReadOnlySpan<byte> frame, bool fromBroker)
    {
        int count = _listedReceivers.Count + _audienceReceivers.Count;
        bool localOnly = fromBroker || !_broker.Forwards;
        var observers = Volatile.Read(ref _observers);
        var recent = Volatile.Read(ref _recent);
        if (localOnly && observers.Length == 0 && recent is null && (count == 0 || (count == 1 && sender is not null && sender.ReceiverSegment >= 0)))
        {
            return;
        }

        var shared = SharedFrame.RentAudio(frame);

        // Kept (and numbered) before the receivers are read: a member that joins after that read finds the frame here
        // instead, so even a lone speaker's frames are kept for the first listener to join.
        recent?.Add(shared);
        foreach (var observer in observers)
        {
            observer.OnAudio(shared);
        }

        Deliver(_listedReceivers, _listedWriters, shared, sender);
        if (!_audienceHold.Enabled)
        {
            Deliver(_audienceReceivers, _audienceWriters, shared, sender);
        }
        else if (_audienceReceivers.Count > 0 && _audienceHold.Hold(shared, Environment.TickCount64))
        {
            _audienceHold.Flush(this, DeliverHeldNow);
        }

        if (!fromBroker)
        {
            _broker.PublishFrame(this, shared);
        }

        shared.Release();
    }

    // The frame goes to the list's writers, never to a receiver from here (see ReceiverWriters): writing each frame
    // on this thread costs a system call per receiver, which under load holds back the senders and never lets writes
    // coalesce (measured: 6.8 against 2.4 server CPU-s per million frames in 100 rooms of 100, and seconds of delay).
    private static void Deliver(ReceiverList receivers, ReceiverWriters writers, SharedFrame shared, Participant? sender)
    {
        int segments = receivers.Read().SegmentCount;
        if (segments > 0)
        {
            writers.Add(shared, sender, segments);
        }
    }

    private void CountDelivered(int queued, int dropped)
    {
        Interlocked.Add(ref _framesOut, queued);
        if (dropped > 0)
        {
            Interlocked.Add(ref _dropped, dropped);
            _metrics.FramesDropped(dropped);
        }
    }

    /// <summary>
    /// Writes the audience's held frames if they have waited the interval: their senders went quiet before another
    /// frame flushed them. Called by a timer when an audience write interval is set.
    /// </summary>
    public void FlushOverdueAudience(long now)
    {
        if (_audienceHold.IsOverdue(now))
        {
            _audienceHold.Flush(this, DeliverHeldNow);
        }
    }

    /// <summary>
    /// Queues to the receivers, on this thread, every frame that is held for the audience or waits for a writer,
    /// after any write in progress. The room does this before each event (never writing from under its lock), so no
    /// event overtakes earlier audio; a test does it to see a fan-out through.
    /// </summary>
    public void QueuePendingAudio()
    {
        _listedWriters.Flush();
        _audienceWriters.Flush();
        if (_audienceHold.Enabled)
        {
            _audienceHold.Flush(this, QueueHeld);
        }
    }

    private static void DeliverHeldNow(Room room, SharedFrame[] frames, int count) => room.DeliverHeld(frames, count, writeNow: true);

    private static void QueueHeld(Room room, SharedFrame[] frames, int count) => room.DeliverHeld(frames, count, writeNow: false);

    // A flush of held frames on a sender's or the timer's thread writes to idle members from that thread, one system
    // call per member per interval. Handing them to the audience's writers instead, to spread the writes over the
    // cores, measured worse: one room of 10,000 at 60 ms, 1.73-1.80 against 1.41-1.51 server CPU-s per million frames.
    // Under the room's lock (before an event) it only queues, so joins and leaves never wait for writes.
    private void DeliverHeld(SharedFrame[] frames, int count, bool writeNow)
    {
        var held = frames.AsSpan(0, count);
        var receivers = _audienceReceivers.Read();
        int queued = 0;
        int dropped = 0;
        for (int s = 0; s < receivers.SegmentCount; s++)
        {
            var segment = receivers.Segment(s);
            foreach (var frame in held)
            {
                frame.AddReferences(segment.Length);
            }

            foreach (var receiver in segment)
            {
                queued += receiver.Outbound.EnqueueAudio(ReceiverFrames.For(receiver, held, [], ref _flushScratch), ref dropped, writeNow ? _flushSegments : null);
            }
        }

        CountDelivered(queued, dropped);
    }

    private void StartStream(Participant sender)
    {
        StreamStartedMessage announcement;
        lock (_gate)
        {
            if (sender.AnnouncedLive || !_members.ContainsKey(sender.Id))
            {
                return;
            }

            sender.AnnouncedLive = true;
            sender.LiveSince = DateTimeOffset.UtcNow;
            announcement = new StreamStartedMessage
            {
                StreamId = sender.StreamId!.Value,
                ParticipantId = sender.Id,
                Format = sender.Format,
            };
            BroadcastLocked(announcement, except: null);
        }

        _broker.PublishEvent(this, announcement);
    }

    private void StopStreamLocked(Participant sender, StreamStopReason reason)
    {
        if (!sender.AnnouncedLive)
        {
            return;
        }

        sender.AnnouncedLive = false;
        sender.LiveSince = null;
        var announcement = new StreamStoppedMessage
        {
            StreamId = sender.StreamId!.Value,
            ParticipantId = sender.Id,
            Reason = reason,
        };
        BroadcastLocked(announcement, except: null);
        _broker.PublishEvent(this, announcement);
    }
}
