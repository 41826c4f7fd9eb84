using System.Text.Json.Serialization;

namespace WsAudio.Protocol.Messages;

/// <summary>A JSON text message; <see cref="Type"/> is written first and selects the concrete class when read.</summary>
public abstract class ControlMessage
{
    /// <summary>The message's <c>type</c> field (see <see cref="MessageTypes"/>).</summary>
    [JsonPropertyOrder(-1)]
    public abstract string Type { get; }

    /// <summary>
    /// What JSON typing cannot say: returns why a well-typed message is still invalid (for example a number that
    /// is not finite), or null. <see cref="ControlMessageSerializer.TryRead"/> refuses such a message.
    /// </summary>
    internal virtual string? FindProblem() => null;
}
