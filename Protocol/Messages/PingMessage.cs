namespace WsAudio.Protocol.Messages;

/// <summary>Client → server: asks for a <see cref="PongMessage"/> echoing <see cref="T"/>.</summary>
public sealed class PingMessage : ControlMessage
{
    /// <inheritdoc />
    public override string Type => MessageTypes.Ping;

    /// <summary>
    /// Any finite number the client chooses, typically its clock in milliseconds; echoed as the same double (an
    /// integer above 2^53 comes back rounded to the nearest double).
    /// </summary>
    public required double T { get; init; }

    /// <inheritdoc />
    internal override string? FindProblem() => double.IsFinite(T) ? null : "'t' must be a finite number";
}
