using WsAudio.Protocol.Messages;

namespace WsAudio.Server.Hub;

/// <summary>
/// The room's audience (listeners counted rather than announced, on this node and on others) and announcements to
/// every member.
/// </summary>
internal sealed partial class Room
{
    private readonly Dictionary<string, int> _remoteAudience = new(StringComparer.Ordinal);
    private int _announcedAudience;
    private int _publishedAudience;

    /// <summary>
    /// Tells the members the audience count if it changed since they last heard it, and the other nodes this
    /// node's share of it. Called every <see cref="Hosting.PresenceOptions.AudienceUpdateInterval"/>, so a burst of
    /// joins costs one message per member per interval, not one per join.
    /// </summary>
    public void FlushAudience()
    {
        AudienceMessage? local = null;
        lock (_gate)
        {
            int total = AudienceLocked();
            if (total != _announcedAudience && _members.Count > 0)
            {
                _announcedAudience = total;
                BroadcastLocked(new AudienceMessage { Count = total }, except: null);
            }

            if (_audience != _publishedAudience)
            {
                _publishedAudience = _audience;
                local = new AudienceMessage { Count = _audience };
            }
        }

        if (local is not null)
        {
            _broker.PublishEvent(this, local);
        }
    }

    /// <summary>Tells every member of this node something about the room as a whole (that it is recorded).</summary>
    public void Announce(ControlMessage message)
    {
        lock (_gate)
        {
            BroadcastLocked(message, except: null);
        }
    }

    private int AudienceLocked()
    {
        int total = _audience;
        foreach (int count in _remoteAudience.Values)
        {
            total += count;
        }

        return total;
    }
}
