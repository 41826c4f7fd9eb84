namespace WsAudio.Protocol.Messages;

/// <summary>Client → server: enter <see cref="Room"/>, creating it if it is empty.</summary>
public sealed class JoinMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Join;

    /// <summary>The room to enter (see <see cref="RoomName"/>).</summary>
    public required string Room { get; init; }

    /// <summary>What the participant does in the room. Default: speaker.</summary>
    public ParticipantRole Role { get; init; } = ParticipantRole.Speaker;

    /// <summary>Shown to the other participants; optional.</summary>
    public string? Name { get; init; }

    /// <summary>An access token, for servers that require one.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// What a sender will send; defaults to <see cref="AudioFormat.Default"/>. For a tap, what it wants to receive:
    /// pcm16, mono, at one of <see cref="AudioFormat.TapSampleRates"/> (default 16000). Ignored for listeners.
    /// </summary>
    public AudioFormat? Format { get; init; }

    /// <summary>For a tap: each speaker apart (the default) or the room's mix. Ignored for other roles.</summary>
    public TapMode? Mode { get; init; }
}
