namespace WsAudio.Protocol.Messages;

/// <summary>Server → room: a participant's mute state changed.</summary>
public sealed class ParticipantMutedMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.ParticipantMuted;

    /// <summary>Whose state changed.</summary>
    public required string ParticipantId { get; init; }

    /// <summary>The new state.</summary>
    public required bool Muted { get; init; }

    /// <summary>True when an admin set it (the participant cannot lift it); absent otherwise.</summary>
    public bool? ByAdmin { get; init; }
}
