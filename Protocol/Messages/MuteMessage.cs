namespace WsAudio.Protocol.Messages;

/// <summary>Client → server: while muted, the server forwards none of the sender's frames.</summary>
public sealed class MuteMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Mute;

    /// <summary>True to mute, false to unmute.</summary>
    public required bool Muted { get; init; }
}
