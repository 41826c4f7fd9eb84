using WsAudio.Protocol;

namespace WsAudio.Server.Hub;

/// <summary>The room as status pages see it.</summary>
internal sealed partial class Room
{
    private int _listenerPeak;

    /// <summary>Counts by role (this node's members, other nodes' listed members and audience) and live streams.</summary>
    public RoomStatus Status()
    {
        lock (_gate)
        {
            int speakers = 0;
            int broadcasters = 0;
            int http = 0;
            int icecast = 0;
            var streams = new List<StreamStatus>();
            foreach (var sender in _senders)
            {
                speakers += sender.Role == ParticipantRole.Speaker ? 1 : 0;
                broadcasters += sender.Role == ParticipantRole.Broadcaster ? 1 : 0;
                if (sender.AnnouncedLive)
                {
                    streams.Add(new StreamStatus(sender.StreamId!.Value, sender.Format, sender.LiveSince, sender.Metadata, sender.Id, sender.Name));
                }
            }

            foreach (var member in _members.Values)
            {
                http += member.Transport == Participant.HttpTransport ? 1 : 0;
                icecast += member.Transport == Participant.IcecastTransport ? 1 : 0;
            }

            foreach (var remote in _remote.Values)
            {
                speakers += remote.Info.Role == ParticipantRole.Speaker ? 1 : 0;
                broadcasters += remote.Info.Role == ParticipantRole.Broadcaster ? 1 : 0;
                if (remote.LiveFormat is { } format)
                {
                    streams.Add(new StreamStatus(remote.Info.StreamId!.Value, format, null, null, remote.Info.Id, remote.Info.Name));
                }
            }

            return new RoomStatus(Name, speakers, broadcasters, ListenersLocked(), http, icecast, _listenerPeak, streams, _taps.Count);
        }
    }

    // Listeners here and on other nodes, listed or in the audience.
    private int ListenersLocked()
    {
        int listeners = _members.Count - _senders.Count + AudienceLocked() - _audience;
        foreach (var remote in _remote.Values)
        {
            listeners += remote.Info.Role == ParticipantRole.Listener ? 1 : 0;
        }

        return listeners;
    }

    private void CountListenerPeakLocked() => _listenerPeak = Math.Max(_listenerPeak, ListenersLocked());
}
