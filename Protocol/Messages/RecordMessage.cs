namespace WsAudio.Protocol.Messages;

/// <summary>Client → server, admins only: start or stop recording the room.</summary>
public sealed class RecordMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Record;

    /// <summary>Start or stop.</summary>
    public required RecordAction Action { get; init; }
}
