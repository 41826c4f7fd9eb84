using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Broker;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hosting;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>
/// The members of one room and the fan-out of their audio. Membership and every control event change under one
/// lock, so all members see events in the same order; audio fans out without it, over a <see cref="ReceiverList"/>.
/// </summary>
/// <remarks>
/// Senders, and listeners while fewer than <see cref="PresenceOptions.ListedListeners"/> are listed, are
/// <em>listed</em>: announced one by one and named in <c>joined</c>. Other listeners are the room's audience: a
/// count, sent at most every <see cref="PresenceOptions.AudienceUpdateInterval"/> (to the audience itself, every
/// <see cref="PresenceOptions.AudienceMemberUpdateInterval"/>). A join therefore costs the same
/// however large the audience: no announcement to every member, a <c>joined</c> of the listed members only, and
/// an O(1) add to the receivers.
/// </remarks>
internal sealed partial class Room
{
    // A large room's writes run on up to half the cores, leaving the rest to reading and to other rooms. Measured on 2
    // cores, one room of 10,000: one writer 1.63-1.69 server CPU-s per million frames, two 1.80-1.85, four 2.18-2.22.
    private static readonly int WritersPerList = Math.Max(1, Environment.ProcessorCount / 2);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Participant> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Participant> _listed = new(StringComparer.Ordinal);
    private readonly List<Participant> _senders = [];
    private readonly ReceiverList _listedReceivers = new();
    private readonly ReceiverList _audienceReceivers = new();
    private readonly ReceiverWriters _listedWriters;
    private readonly ReceiverWriters _audienceWriters;
    private readonly IRoomBroker _broker;
    private readonly RelayMetrics _metrics;
    private readonly PresenceOptions _presence;
    private readonly AudienceHold _audienceHold;
    private int _listedListeners;
    private int _audience;
    private bool _closed;

    public Room(string name, IRoomBroker broker, RelayMetrics metrics, PresenceOptions? presence = null, ILogger? logger = null)
    {
        Name = name;
        _broker = broker;
        _metrics = metrics;
        _presence = presence ?? new PresenceOptions();
        _audienceHold = new AudienceHold(_presence.AudienceWriteInterval);
        if (JoinBurstCapacity(_presence.JoinBurst) is var capacity and > 0)
        {
            _recent = new RecentAudio(capacity);
        }

        _listedWriters = new ReceiverWriters(_listedReceivers, WritersPerList, CountDelivered, name, logger ?? NullLogger.Instance);
        _audienceWriters = new ReceiverWriters(_audienceReceivers, WritersPerList, CountDelivered, name, logger ?? NullLogger.Instance);
    }

    public string Name { get; }

    /// <summary>Members now.</summary>
    public int MemberCount
    {
        get
        {
            lock (_gate)
            {
                return _members.Count + _taps.Count;
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
        ParticipantJoinedMessage? announcement = null;
        lock (_gate)
        {
            if (_closed)
            {
                return JoinResult.Closed;
            }

            if (maxMembers > 0 && _members.Count + _taps.Count >= maxMembers)
            {
                return JoinResult.Full;
            }

            if (participant.Role == ParticipantRole.Tap)
            {
                JoinTapLocked(participant);
                return JoinResult.Joined;
            }

            AssignIds(participant);
            participant.Listed = participant.Role.CanSend() || _listedListeners < _presence.ListedListeners;
            _members.Add(participant.Id, participant);
            if (participant.Listed)
            {
                _listed.Add(participant.Id, participant);
                _roster = null;
                _listedListeners += participant.Role.CanSend() ? 0 : 1;
            }
            else
            {
                _audience++;
            }

            SendJoinedLocked(participant);
            TellRecordingsLocked(participant);
            SendJoinBurstLocked(participant);
            if (participant.Listed)
            {
                announcement = new ParticipantJoinedMessage { Participant = participant.ToInfo() };
                BroadcastLocked(announcement, except: participant);
            }

            // Added last: a frame fanned out to the new receiver is queued after 'joined'.
            if (participant.Role.CanReceive())
            {
                (participant.Listed ? _listedReceivers : _audienceReceivers).Add(participant);
            }

            if (participant.Role.CanSend())
            {
                _senders.Add(participant);
            }

            CountListenerPeakLocked();
        }

        if (announcement is not null)
        {
            _broker.PublishEvent(this, announcement);
        }

        return JoinResult.Joined;
    }

    /// <summary>Removes <paramref name="participant"/>; returns true when the room is now empty and closed.</summary>
    public bool Leave(Participant participant, LeaveReason reason)
    {
        ParticipantLeftMessage? announcement = null;
        bool empty;
        lock (_gate)
        {
            if (participant.Role == ParticipantRole.Tap)
            {
                return LeaveTapLocked(participant);
            }

            if (!_members.Remove(participant.Id))
            {
                return false;
            }

            (participant.Listed ? _listedReceivers : _audienceReceivers).Remove(participant);
            _senders.Remove(participant);
            Interlocked.Exchange(ref participant.LastFrameTicks, Participant.Offline);
            StopStreamLocked(participant, reason == LeaveReason.Disconnected ? StreamStopReason.Disconnected : StreamStopReason.Left);
            if (_listed.Remove(participant.Id))
            {
                _listedListeners -= participant.Role.CanSend() ? 0 : 1;
                announcement = new ParticipantLeftMessage { ParticipantId = participant.Id, Reason = reason };
                BroadcastLocked(announcement, except: null);
            }
            else
            {
                _audience--;
            }

            empty = CloseIfEmptyLocked();
        }

        if (announcement is not null)
        {
            _broker.PublishEvent(this, announcement);
        }

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

    private void SetMutedLocked(Participant participant, bool muted, bool byAdmin)
    {
        if (participant.Muted == muted || !_members.ContainsKey(participant.Id))
        {
            return;
        }

        participant.Muted = muted;
        var announcement = new ParticipantMutedMessage { ParticipantId = participant.Id, Muted = muted, ByAdmin = byAdmin ? true : null };
        if (!participant.Listed)
        {
            // Nobody else knows this audience member; only it hears of its new state.
            SendLocked(participant, announcement);
            return;
        }

        BroadcastLocked(announcement, except: null);
        _broker.PublishEvent(this, announcement);
    }

    // A room closes when its last member, tap or not, has left; a joiner that finds it closed makes a new one.
    private bool CloseIfEmptyLocked()
    {
        _closed = _members.Count == 0 && _taps.Count == 0;
        if (_closed)
        {
            Volatile.Read(ref _recent)?.Clear();
            QueuePendingAudio();
        }

        return _closed;
    }

    private void AssignIds(Participant participant)
    {
        do
        {
            participant.Id = RandomIds.NewParticipantId();
        }
        while (_members.ContainsKey(participant.Id) || _remote.ContainsKey(participant.Id) || _taps.Exists(t => t.Id == participant.Id));

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

    // Queued for every member, their send loops woken on the thread pool: the room's lock is not held for a write
    // per member, which in a room of thousands would hold up every join and leave.
    private void BroadcastLocked(ControlMessage message, Participant? except)
    {
        _roster = null;
        QueuePendingAudio();
        BroadcastLocked(message, _members.Values, except);
    }

    private static void BroadcastLocked(ControlMessage message, Dictionary<string, Participant>.ValueCollection to, Participant? except)
    {
        var shared = SharedFrame.ForText(ControlMessageSerializer.Serialize(message));
        foreach (var member in to)
        {
            if (!ReferenceEquals(member, except))
            {
                EnqueueShared(member, shared);
            }
        }

        shared.Release();
    }

    private static void EnqueueShared(Participant member, SharedFrame shared)
    {
        shared.AddReferences(1);
        if (member.Outbound.EnqueueForPool(shared) == EnqueueResult.Rejected)
        {
            shared.Release();
        }
    }

    private static void SendLocked(Participant participant, ControlMessage message) => participant.Outbound.EnqueueMessage(message);
}
