namespace WsAudio.Protocol.Messages;

/// <summary>Server → room: a participant left. If it was live, <c>stream-stopped</c> came first.</summary>
public sealed class ParticipantLeftMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.ParticipantLeft;

    /// <summary>Who left.</summary>
    public required string ParticipantId { get; init; }

    /// <summary>Why.</summary>
    public required LeaveReason Reason { get; init; }
}
