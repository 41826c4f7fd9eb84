using WsAudio.Protocol.Messages;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>
/// What a joiner's <c>joined</c> names: the listed members, here and on other nodes, and their live streams.
/// </summary>
internal sealed partial class Room
{
    // The roster serialized once for every joiner until it changes: in a broadcast, thousands of audience members join
    // to the same listed members. Every change of it is told to the members (BroadcastLocked), which drops it, and a
    // listed join, which is told only after the joiner's own 'joined'.
    private JoinedRoster? _roster;

    private void SendJoinedLocked(Participant participant)
    {
        _roster ??= JoinedRoster.Create(ListedInfoLocked(), LiveStreamsLocked());
        participant.Outbound.EnqueueSerialized(_roster.Serialize(Name, participant.Id, participant.StreamId, JoinedAudienceLocked()));
    }

    // The tap's 'joined' names the listed members, so it knows who is there; its streams come from the outputs,
    // each announced to it with its own 'stream-started', so the senders' streams are not listed here.
    private void SendTapJoinedLocked(Participant tap) => SendLocked(tap, new JoinedMessage
    {
        Room = Name,
        ParticipantId = tap.Id,
        Participants = ListedInfoLocked(),
        Streams = [],
        Audience = JoinedAudienceLocked(),
    });

    private List<ParticipantInfo> ListedInfoLocked()
    {
        var participants = new List<ParticipantInfo>(_listed.Count + _remote.Count);
        foreach (var member in _listed.Values)
        {
            participants.Add(member.ToInfo());
        }

        foreach (var remote in _remote.Values)
        {
            participants.Add(remote.Info);
        }

        return participants;
    }

    private List<StreamInfo> LiveStreamsLocked()
    {
        var streams = new List<StreamInfo>();
        foreach (var member in _listed.Values)
        {
            if (member.AnnouncedLive)
            {
                streams.Add(member.ToStreamInfo());
            }
        }

        foreach (var remote in _remote.Values)
        {
            if (remote.LiveFormat is { } format)
            {
                streams.Add(new StreamInfo { StreamId = remote.Info.StreamId!.Value, ParticipantId = remote.Info.Id, Format = format });
            }
        }

        return streams;
    }

    private int? JoinedAudienceLocked()
    {
        int audience = AudienceLocked();
        return audience > 0 ? audience : null;
    }
}
