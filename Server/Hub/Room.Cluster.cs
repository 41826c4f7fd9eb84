using WsAudio.Protocol.Messages;

namespace WsAudio.Server.Hub;

/// <summary>The room's members on other nodes, as those nodes announce them through the broker.</summary>
internal sealed partial class Room
{
    private readonly Dictionary<string, RemoteMember> _remote = new(StringComparer.Ordinal);

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
                case RecordingMessage recording:
                    ApplyRemoteRecordingLocked(nodeId, recording);
                    break;
                case AudienceMessage audience:
                    // Told to the local members with the next flush, summed with every node's share.
                    _remoteAudience[nodeId] = audience.Count;
                    CountListenerPeakLocked();
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

            _remoteAudience.Remove(nodeId);
            RemoveRemoteRecordingLocked(nodeId);
        }
    }

    /// <summary>A frame from another node's sender: to every local receiver, like a local frame.</summary>
    public void DeliverRemoteFrame(ReadOnlySpan<byte> frame) => FanOut(sender: null, frame, fromBroker: true);

    /// <summary>
    /// The events that describe this node's listed members, live streams and audience, for a node that just attached.
    /// </summary>
    public IReadOnlyList<ControlMessage> LocalState()
    {
        lock (_gate)
        {
            var state = new List<ControlMessage>(_listed.Count + _senders.Count + 1);
            if (_audience > 0)
            {
                state.Add(new AudienceMessage { Count = _audience });
            }

            foreach (var member in _listed.Values)
            {
                state.Add(new ParticipantJoinedMessage { Participant = member.ToInfo() });
                if (member.AnnouncedLive)
                {
                    state.Add(new StreamStartedMessage { StreamId = member.StreamId!.Value, ParticipantId = member.Id, Format = member.Format });
                }
            }

            AddLocalRecordingLocked(state);
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
}
