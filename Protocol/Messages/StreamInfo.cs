namespace WsAudio.Protocol.Messages;

/// <summary>A live stream as listed in <see cref="JoinedMessage.Streams"/>.</summary>
public sealed class StreamInfo
{
    /// <summary>The id carried in the stream's frame headers.</summary>
    public required uint StreamId { get; init; }

    /// <summary>The sender.</summary>
    public required string ParticipantId { get; init; }

    /// <summary>How to decode the stream's frames.</summary>
    public required AudioFormat Format { get; init; }
}
