namespace WsAudio.Protocol.Messages;

/// <summary>Client → server: leave the current room; the connection stays open and may join again.</summary>
public sealed class LeaveMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Leave;
}
