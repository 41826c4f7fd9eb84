using WsAudio.Protocol.Messages;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Broker;

/// <summary>The single-node broker: every member of every room is local, so there is nothing to forward.</summary>
internal sealed class LocalRoomBroker : IRoomBroker
{
    public bool Forwards => false;

    public string Status => "local";

    public long PublishDrops => 0;

    public void Attach(Room room)
    {
    }

    public void Detach(Room room)
    {
    }

    public void PublishFrame(Room room, SharedFrame frame)
    {
    }

    public void PublishEvent(Room room, ControlMessage message)
    {
    }
}
