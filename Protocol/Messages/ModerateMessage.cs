namespace WsAudio.Protocol.Messages;

/// <summary>Client → server, admins only: mute, unmute or remove another participant.</summary>
public sealed class ModerateMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Moderate;

    /// <summary>What to do.</summary>
    public required ModerateAction Action { get; init; }

    /// <summary>To whom.</summary>
    public required string ParticipantId { get; init; }
}
