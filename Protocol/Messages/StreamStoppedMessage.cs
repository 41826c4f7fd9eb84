namespace WsAudio.Protocol.Messages;

/// <summary>Server → room: a stream went offline. Sent after its last forwarded frame.</summary>
public sealed class StreamStoppedMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.StreamStopped;

    /// <summary>The stream.</summary>
    public required uint StreamId { get; init; }

    /// <summary>Its sender.</summary>
    public required string ParticipantId { get; init; }

    /// <summary>Why it stopped.</summary>
    public required StreamStopReason Reason { get; init; }
}
