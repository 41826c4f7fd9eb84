namespace WsAudio.Protocol.Messages;

/// <summary>Server → client: the join succeeded. Sent before any audio of the room reaches the client.</summary>
public sealed class JoinedMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Joined;

    /// <summary>The room joined.</summary>
    public required string Room { get; init; }

    /// <summary>This client's participant id.</summary>
    public required string ParticipantId { get; init; }

    /// <summary>The stream id this client must put in its frames; absent for listeners.</summary>
    public uint? StreamId { get; init; }

    /// <summary>
    /// Everyone in the room, this client included, except the listeners of its audience (see <see cref="Audience"/>).
    /// </summary>
    public required IReadOnlyList<ParticipantInfo> Participants { get; init; }

    /// <summary>The streams that are live right now.</summary>
    public required IReadOnlyList<StreamInfo> Streams { get; init; }

    /// <summary>
    /// Listeners in the room's audience, not listed in <see cref="Participants"/>; absent while there are none.
    /// </summary>
    public int? Audience { get; init; }
}
