namespace WsAudio.Protocol.Messages;

/// <summary>Server → client: the leave succeeded; no more messages of that room follow.</summary>
public sealed class LeftMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Left;

    /// <summary>The room left.</summary>
    public required string Room { get; init; }
}
