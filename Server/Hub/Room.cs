using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Broker;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>
/// The members of one room and the fan-out of their audio. Membership and every control event change under one
/// lock, so all members see events in the same order; audio fans out without it, over a copy-on-write snapshot
/// of the receivers.
/// </summary>
internal sealed class Room
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Participant> _members = new(StringComparer.Ordinal);
    private readonly List<Participant> _senders = [];
    private readonly Dictionary<string, RemoteMember> _remote = new(StringComparer.Ordinal);
    private readonly IRoomBroker _broker;
    private readonly RelayMetrics _metrics;
    private Participant[] _receivers = [];
    private bool _closed;
    private long _framesOut;
    private long _dropped;

    public Room(string name, IRoomBroker broker, RelayMetrics metrics)
    {
        Name = name;
        _broker = broker;
        _metrics = metrics;
    }

    public string Name { get; }

    /// <summary>Audio frames queued for this room's receivers.</summary>
    public long FramesOut => Interlocked.Read(ref _framesOut);

    /// <summary>Audio frames dropped because a receiver's queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Members now.</summary>
    public int MemberCount
    {
        get
        {
            lock (_gate)
            {
                return _members.Count;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="participant"/>, assigning its ids, and queues its <c>joined</c> before any of the room's
    /// audio. <see cref="JoinResult.Closed"/> when the room emptied and closed meanwhile: ask the registry for a
    /// fresh one.
    /// </summary>
    public JoinResult TryJoin(Participant participant, int maxMembers = 0)
    {
        ParticipantJoinedMessage announcement;
        lock (_gate)
        {
            if (_closed)
            {
                return JoinResult.Closed;
            }

            if (maxMembers > 0 && _members.Count >= maxMembers)
            {
                return JoinResult.Full;
            }

            AssignIds(participant);
            _members.Add(participant.Id, participant);
            SendLocked(participant, BuildJoined(participant));
            announcement = new ParticipantJoinedMessage { Participant = participant.ToInfo() };
            BroadcastLocked(announcement, except: participant);

            // Published last: a frame fanned out over the new snapshot is queued after 'joined'.
            if (participant.Role.CanReceive())
            {
                _receivers = [.. _receivers, participant];
            }

            if (participant.Role.CanSend())
            {
                _senders.Add(participant);
            }
        }

        _broker.PublishEvent(this, announcement);
        return JoinResult.Joined;
    }

    /// <summary>Removes <paramref name="participant"/>; returns true when the room is now empty and closed.</summary>
    public bool Leave(Participant participant, LeaveReason reason)
    {
        ParticipantLeftMessage announcement;
        bool empty;
        lock (_gate)
        {
            if (!_members.Remove(participant.Id))
            {
                return false;
            }

            if (participant.Role.CanReceive())
            {
                _receivers = Array.FindAll(_receivers, r => !ReferenceEquals(r, participant));
            }

            _senders.Remove(participant);
            Interlocked.Exchange(ref participant.LastFrameTicks, Participant.Offline);
            StopStreamLocked(participant, reason == LeaveReason.Disconnected ? StreamStopReason.Disconnected : StreamStopReason.Left);
            announcement = new ParticipantLeftMessage { ParticipantId = participant.Id, Reason = reason };
            BroadcastLocked(announcement, except: null);
            empty = _members.Count == 0;
            _closed = empty;
        }

        _broker.PublishEvent(this, announcement);
        return empty;
    }

    /// <summary>The participant mutes or unmutes itself; returns an error code when it may not.</summary>
    public string? SetMuted(Participant participant, bool muted)
    {
        lock (_gate)
        {
            if (!muted && participant.MutedByAdmin)
            {
                return ErrorCodes.MutedByAdmin;
            }

            SetMutedLocked(participant, muted, byAdmin: false);
            return null;
        }
    }

    /// <summary>
    /// An admin mutes or unmutes <paramref name="targetId"/>, or asks to remove it: then <paramref name="removed"/> is
    /// the member, for the caller to take out of the room (through the registry, which closes an emptied room) and
    /// then evict. Returns an error code when there is no such member.
    /// </summary>
    public string? Moderate(ModerateAction action, string targetId, out Participant? removed)
    {
        removed = null;
        lock (_gate)
        {
            if (!_members.TryGetValue(targetId, out var target))
            {
                return ErrorCodes.UnknownParticipant;
            }

            if (action == ModerateAction.Remove)
            {
                removed = target;
                return null;
            }

            target.MutedByAdmin = action == ModerateAction.Mute;
            SetMutedLocked(target, action == ModerateAction.Mute, byAdmin: true);
            return null;
        }
    }

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
        var receivers = Volatile.Read(ref _receivers);
        bool localOnly = fromBroker || !_broker.Forwards;
        if (localOnly && (receivers.Length == 0 || (receivers.Length == 1 && ReferenceEquals(receivers[0], sender))))
        {
            return;
        }

        var shared = SharedFrame.RentAudio(frame);
        shared.AddReferences(receivers.Length);
        int unused = 1;
        int queued = 0;
        int dropped = 0;
        foreach (var receiver in receivers)
        {
            if (ReferenceEquals(receiver, sender))
            {
                unused++;
                continue;
            }

            switch (receiver.Outbound.Enqueue(shared))
            {
                case EnqueueResult.Queued:
                    queued++;
                    break;
                case EnqueueResult.QueuedDroppedOldest:
                    queued++;
                    dropped++;
                    break;
                default:
                    unused++;
                    break;
            }
        }

        Interlocked.Add(ref _framesOut, queued);
        if (dropped > 0)
        {
            Interlocked.Add(ref _dropped, dropped);
            _metrics.FramesDropped(dropped);
        }

        if (!fromBroker)
        {
            _broker.PublishFrame(this, shared);
        }

        shared.Release(unused);
    }

    /// <summary>
    /// A presence or stream event from another node: updates that node's members here and tells the local members,
    /// exactly as for a local event. Repeats (the same member joining twice) change nothing.
    /// </summary>
    public void ApplyRemote(string nodeId, ControlMessage message)
    {
        lock (_gate)
        {
            switch (message)
            {
                case ParticipantJoinedMessage joined when !_remote.ContainsKey(joined.Participant.Id) && !_members.ContainsKey(joined.Participant.Id):
                    _remote[joined.Participant.Id] = new RemoteMember(nodeId, joined.Participant);
                    BroadcastLocked(joined, except: null);
                    break;
                case ParticipantLeftMessage left when _remote.Remove(left.ParticipantId, out var member):
                    RemoveRemoteLocked(member, left.Reason);
                    break;
                case ParticipantMutedMessage muted when _remote.TryGetValue(muted.ParticipantId, out var member) && member.Info.Muted != muted.Muted:
                    member.Info = CopyInfo(member.Info, muted.Muted);
                    BroadcastLocked(muted, except: null);
                    break;
                case StreamStartedMessage started when _remote.TryGetValue(started.ParticipantId, out var member) && member.LiveFormat is null:
                    member.LiveFormat = started.Format;
                    BroadcastLocked(started, except: null);
                    break;
                case StreamStoppedMessage stopped when _remote.TryGetValue(stopped.ParticipantId, out var member) && member.LiveFormat is not null:
                    member.LiveFormat = null;
                    BroadcastLocked(stopped, except: null);
                    break;
            }
        }
    }

    /// <summary>Another node is gone: its members leave (disconnected), their streams stop first.</summary>
    public void RemoveNode(string nodeId)
    {
        lock (_gate)
        {
            foreach (var member in _remote.Values.Where(m => m.NodeId == nodeId).ToList())
            {
                _remote.Remove(member.Info.Id);
                RemoveRemoteLocked(member, LeaveReason.Disconnected);
            }
        }
    }

    /// <summary>A frame from another node's sender: to every local receiver, like a local frame.</summary>
    public void DeliverRemoteFrame(ReadOnlySpan<byte> frame) => FanOut(sender: null, frame, fromBroker: true);

    /// <summary>The events that describe this node's members and live streams, for a node that just attached.</summary>
    public IReadOnlyList<ControlMessage> LocalState()
    {
        lock (_gate)
        {
            var state = new List<ControlMessage>();
            foreach (var member in _members.Values)
            {
                state.Add(new ParticipantJoinedMessage { Participant = member.ToInfo() });
                if (member.AnnouncedLive)
                {
                    state.Add(new StreamStartedMessage { StreamId = member.StreamId!.Value, ParticipantId = member.Id, Format = member.Format });
                }
            }

            return state;
        }
    }

    private void RemoveRemoteLocked(RemoteMember member, LeaveReason reason)
    {
        if (member.LiveFormat is not null)
        {
            member.LiveFormat = null;
            BroadcastLocked(new StreamStoppedMessage
            {
                StreamId = member.Info.StreamId!.Value,
                ParticipantId = member.Info.Id,
                Reason = reason == LeaveReason.Disconnected ? StreamStopReason.Disconnected : StreamStopReason.Left,
            }, except: null);
        }

        BroadcastLocked(new ParticipantLeftMessage { ParticipantId = member.Info.Id, Reason = reason }, except: null);
    }

    private static ParticipantInfo CopyInfo(ParticipantInfo info, bool muted) => new()
    {
        Id = info.Id,
        Name = info.Name,
        Role = info.Role,
        Muted = muted,
        StreamId = info.StreamId,
    };

    private void SetMutedLocked(Participant participant, bool muted, bool byAdmin)
    {
        if (participant.Muted == muted || !_members.ContainsKey(participant.Id))
        {
            return;
        }

        participant.Muted = muted;
        var announcement = new ParticipantMutedMessage { ParticipantId = participant.Id, Muted = muted, ByAdmin = byAdmin ? true : null };
        BroadcastLocked(announcement, except: null);
        _broker.PublishEvent(this, announcement);
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
        var announcement = new StreamStoppedMessage
        {
            StreamId = sender.StreamId!.Value,
            ParticipantId = sender.Id,
            Reason = reason,
        };
        BroadcastLocked(announcement, except: null);
        _broker.PublishEvent(this, announcement);
    }

    private void AssignIds(Participant participant)
    {
        do
        {
            participant.Id = RandomIds.NewParticipantId();
        }
        while (_members.ContainsKey(participant.Id) || _remote.ContainsKey(participant.Id));

        if (!participant.Role.CanSend())
        {
            return;
        }

        uint streamId;
        do
        {
            streamId = RandomIds.NewStreamId();
        }
        while (_senders.Exists(s => s.StreamId == streamId));

        participant.StreamId = streamId;
    }

    private JoinedMessage BuildJoined(Participant participant)
    {
        var participants = new List<ParticipantInfo>(_members.Count);
        var streams = new List<StreamInfo>();
        foreach (var member in _members.Values)
        {
            participants.Add(member.ToInfo());
            if (member.AnnouncedLive)
            {
                streams.Add(member.ToStreamInfo());
            }
        }

        foreach (var remote in _remote.Values)
        {
            participants.Add(remote.Info);
            if (remote.LiveFormat is { } format)
            {
                streams.Add(new StreamInfo { StreamId = remote.Info.StreamId!.Value, ParticipantId = remote.Info.Id, Format = format });
            }
        }

        return new JoinedMessage
        {
            Room = Name,
            ParticipantId = participant.Id,
            StreamId = participant.StreamId,
            Participants = participants,
            Streams = streams,
        };
    }

    private void BroadcastLocked(ControlMessage message, Participant? except)
    {
        var shared = SharedFrame.ForText(ControlMessageSerializer.Serialize(message));
        foreach (var member in _members.Values)
        {
            if (!ReferenceEquals(member, except))
            {
                Deliver(member, shared);
            }
        }

        shared.Release();
    }

    private static void SendLocked(Participant participant, ControlMessage message)
    {
        var shared = SharedFrame.ForText(ControlMessageSerializer.Serialize(message));
        Deliver(participant, shared);
        shared.Release();
    }

    private static void Deliver(Participant participant, SharedFrame shared)
    {
        shared.AddReferences(1);
        if (participant.Outbound.Enqueue(shared) == EnqueueResult.Rejected)
        {
            shared.Release();
        }
    }
}
