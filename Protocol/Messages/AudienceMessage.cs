namespace WsAudio.Protocol.Messages;

/// <summary>
/// Server → room: how many listeners are in the room's audience, the listeners not announced one by one. Sent when
/// the count changed, at most a few times per second, the latest count always last.
/// </summary>
public sealed class AudienceMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Audience;

    /// <summary>Listeners in the audience now (not in the participant list).</summary>
    public required int Count { get; init; }

    internal override string? FindProblem() => Count < 0 ? "'count' must not be negative" : null;
}
