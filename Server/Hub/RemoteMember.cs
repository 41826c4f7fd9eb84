using WsAudio.Protocol;
using WsAudio.Protocol.Messages;

namespace WsAudio.Server.Hub;

/// <summary>A participant of this room connected to another node, as that node announced it.</summary>
internal sealed class RemoteMember
{
    public RemoteMember(string nodeId, ParticipantInfo info)
    {
        NodeId = nodeId;
        Info = info;
    }

    public string NodeId { get; }

    public ParticipantInfo Info { get; set; }

    /// <summary>The live stream's format, while the member's stream is live.</summary>
    public AudioFormat? LiveFormat { get; set; }
}
