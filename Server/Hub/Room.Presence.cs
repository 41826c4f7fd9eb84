using WsAudio.Protocol.Messages;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>
/// The room's audience (listeners counted rather than announced, on this node and on others) and announcements to
/// every member.
/// </summary>
internal sealed partial class Room
{
    private readonly Dictionary<string, int> _remoteAudience = new(StringComparer.Ordinal);
    private int _announcedAudience;
    private int _announcedToAudience;
    private long _nextAudienceMemberUpdate;
    private int _publishedAudience;

    /// <summary>
    /// Tells the members the audience count if it changed since they last heard it, and the other nodes this
    /// node's share of it. Called every <see cref="Hosting.PresenceOptions.AudienceUpdateInterval"/>, so a burst of
    /// joins costs one message per listed member per interval, not one per join; the audience itself hears it at
    /// most every <see cref="Hosting.PresenceOptions.AudienceMemberUpdateInterval"/>.
    /// </summary>
    public void FlushAudience()
    {
        AudienceMessage? local = null;
        lock (_gate)
        {
            int total = AudienceLocked();
            if (total != _announcedAudience && _listed.Count > 0)
            {
                _announcedAudience = total;
                BroadcastLocked(new AudienceMessage { Count = total }, _listed.Values, except: null);
            }

            long now = Environment.TickCount64;
            if (total != _announcedToAudience && _audience > 0 && now >= _nextAudienceMemberUpdate)
            {
                _announcedToAudience = total;
                _nextAudienceMemberUpdate = now + (long)_presence.AudienceMemberUpdateInterval.TotalMilliseconds;
                BroadcastToAudienceLocked(new AudienceMessage { Count = total });
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

    // The audience's writers carry it like a frame, after the audio they hold: an idle member gets it in the same
    // write as its audio, where queuing it to every member would cost each a work item and a write of its own. An
    // event to every member flushes the writers first, so it cannot overtake the count.
    private void BroadcastToAudienceLocked(ControlMessage message)
    {
        if (_audienceHold.Enabled)
        {
            _audienceHold.Flush(this, QueueHeld);
        }

        var shared = SharedFrame.ForText(ControlMessageSerializer.Serialize(message));
        Deliver(_audienceReceivers, _audienceWriters, shared, sender: null);
        shared.Release();
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
