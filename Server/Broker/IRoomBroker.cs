using WsAudio.Protocol.Messages;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Broker;

/// <summary>
/// Carries a room's traffic between this node and others. A room always delivers to its local members itself;
/// the broker only forwards what originates here to other nodes, and hands what arrives from them back to the
/// room, so nothing is echoed to its own node.
/// </summary>
internal interface IRoomBroker
{
    /// <summary>True when other nodes exist to forward to (false for the single-node broker: frames need not be copied for it).</summary>
    bool Forwards { get; }

    /// <summary>For <c>/healthz</c> and <c>/metrics</c>: <c>local</c>, <c>connected</c> or <c>disconnected</c>.</summary>
    string Status { get; }

    /// <summary>Messages for other nodes dropped because the bus could not keep up (always 0 for a single node).</summary>
    long PublishDrops { get; }

    /// <summary>The room got its first local member: start receiving its traffic from other nodes.</summary>
    void Attach(Room room);

    /// <summary>The room's last local member left.</summary>
    void Detach(Room room);

    /// <summary>A local sender's frame, already delivered locally. Must not block and must not keep <paramref name="frame"/> past the call without adding a reference.</summary>
    void PublishFrame(Room room, SharedFrame frame);

    /// <summary>A presence or stream-status event that originated here, already delivered locally. Must not block: it may be called under the room's lock.</summary>
    void PublishEvent(Room room, ControlMessage message);
}
