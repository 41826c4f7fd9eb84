namespace WsAudio.Protocol.Messages;

/// <summary>Client → server: asks for a <see cref="PongMessage"/> echoing <see cref="T"/>.</summary>
public sealed class PingMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Ping;

    /// <summary>Any number the client chooses, typically its clock in milliseconds; echoed unchanged.</summary>
    public required double T { get; init; }
}
