namespace WsAudio.Protocol.Messages;

/// <summary>One member of a room as the others see it.</summary>
public sealed class ParticipantInfo
{
    /// <summary>Server-assigned id, unique in the room while the participant is in it.</summary>
    public required string Id { get; init; }

    /// <summary>Display name; empty when none was given.</summary>
    public required string Name { get; init; }

    /// <summary>The participant's role.</summary>
    public required ParticipantRole Role { get; init; }

    /// <summary>Whether the participant is muted.</summary>
    public bool Muted { get; init; }

    /// <summary>The id of the participant's stream, for senders; absent for listeners.</summary>
    public uint? StreamId { get; init; }
}
