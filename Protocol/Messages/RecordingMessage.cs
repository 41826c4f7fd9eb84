namespace WsAudio.Protocol.Messages;

/// <summary>
/// Server → room: the room is now being recorded, or no longer. Every member hears it, so that nobody is recorded
/// without being told.
/// </summary>
public sealed class RecordingMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Recording;

    /// <summary>True while the room is recorded.</summary>
    public required bool Active { get; init; }

    /// <summary>The recording (its files' common name), as <c>GET /api/recordings</c> lists it.</summary>
    public required string Id { get; init; }
}
