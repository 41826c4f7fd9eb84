namespace WsAudio.Protocol.Messages;

/// <summary>Server → room: a participant joined.</summary>
public sealed class ParticipantJoinedMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.ParticipantJoined;

    /// <summary>The newcomer.</summary>
    public required ParticipantInfo Participant { get; init; }
}
