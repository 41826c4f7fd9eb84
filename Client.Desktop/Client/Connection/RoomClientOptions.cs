using WsAudio.Protocol;
using WsAudio.Protocol.Messages;

namespace WsAudio.Client.Connection;

/// <summary>What a <see cref="RoomClient"/> joins and how it behaves when the connection drops.</summary>
public sealed record RoomClientOptions
{
    /// <summary>The server's WebSocket endpoint, e.g. <c>ws://localhost:8080/ws</c>.</summary>
    public required Uri Url { get; init; }

    /// <summary>
    /// Other nodes of the same cluster, tried in turn (after <see cref="Url"/>) when the connection is lost, so a
    /// dead node costs a reconnect rather than the room. Default none.
    /// </summary>
    public IReadOnlyList<Uri> AlternateUrls { get; init; } = [];

    /// <summary>The room to join.</summary>
    public required string Room { get; init; }

    /// <summary>Default: speaker.</summary>
    public ParticipantRole Role { get; init; } = ParticipantRole.Speaker;

    /// <summary>Display name; optional.</summary>
    public string? Name { get; init; }

    /// <summary>Access token, for servers that require one.</summary>
    public string? Token { get; init; }

    /// <summary>What this client sends. Default: Opus, 48 kHz, mono.</summary>
    public AudioFormat Format { get; init; } = AudioFormat.Default;

    /// <summary>For <see cref="ParticipantRole.Tap"/>: each speaker apart (default) or the room's mix. <see cref="Format"/> is then what the tap receives.</summary>
    public TapMode TapMode { get; init; } = TapMode.PerSpeaker;

    /// <summary>Reconnect and rejoin after a lost connection. Default on.</summary>
    public bool Reconnect { get; init; } = true;

    /// <summary>First wait before reconnecting; doubles on each failure up to <see cref="MaxReconnectDelay"/>. Default 250 ms.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait between reconnect attempts. Default 10 s.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Failed reconnect attempts after which the client gives up and closes with an error (<see cref="RoomClient.Completion"/>
    /// faults). Default 0: no limit, the client keeps trying.
    /// </summary>
    public int MaxReconnectAttempts { get; init; }

    /// <summary>How long after losing the connection the client gives up reconnecting. Default zero: no limit.</summary>
    public TimeSpan ReconnectTimeout { get; init; }

    /// <summary>
    /// How often to ping the server while connected: keeps the round trip known and the connection inside the
    /// server's idle timeout even when this client only listens. Default 30 s; zero turns it off.
    /// </summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Limit for one connect-and-join attempt. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
