namespace WsAudio.Protocol.Messages;

/// <summary>Server → client: answer to <see cref="PingMessage"/>.</summary>
public sealed class PongMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Pong;

    /// <summary>The ping's <c>t</c>, unchanged.</summary>
    public required double T { get; init; }

    /// <summary>Server clock when answering, microseconds since the Unix epoch (for clock-offset estimates).</summary>
    public required long ServerTime { get; init; }

    /// <summary>Audio frames the server has dropped for this connection because it fell behind.</summary>
    public required long Dropped { get; init; }
}
