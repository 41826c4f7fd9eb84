namespace WsAudio.Protocol.Messages;

/// <summary>Server → client: a refusal. When a close follows, it carries the close code listed for <see cref="Code"/>.</summary>
public sealed class ErrorMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Error;

    /// <summary>A stable code from <see cref="ErrorCodes"/>.</summary>
    public required string Code { get; init; }

    /// <summary>A human-readable explanation; wording may change.</summary>
    public required string Message { get; init; }
}
