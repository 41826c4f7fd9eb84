namespace WsAudio.Protocol.Messages;

/// <summary>Server → room: a stream went live. Sent before its first frame reaches anyone.</summary>
public sealed class StreamStartedMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.StreamStarted;

    /// <summary>The stream.</summary>
    public required uint StreamId { get; init; }

    /// <summary>Its sender.</summary>
    public required string ParticipantId { get; init; }

    /// <summary>The sender's name; given to taps, whose transcripts say who spoke.</summary>
    public string? Name { get; init; }

    /// <summary>How to decode its frames.</summary>
    public required AudioFormat Format { get; init; }
}
