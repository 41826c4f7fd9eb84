namespace WsAudio.Server.Hosting;

/// <summary>How the relay treats connections and streams. Section <c>Relay</c>.</summary>
internal sealed class RelayOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Relay";

    /// <summary>
    /// Audio frames waiting for one subscriber before the oldest is dropped (counted). Default 50: one second of
    /// 20 ms frames. Larger absorbs longer stalls at the cost of latency and memory. Range 1–10,000.
    /// </summary>
    public int QueueDepth { get; set; } = 50;

    /// <summary>
    /// Control messages waiting for one connection before it is closed as too slow (4001). Control messages are
    /// never dropped, so this bounds the memory a stalled client can hold. Default 256. Range 16–100,000.
    /// </summary>
    public int MaxPendingControlMessages { get; set; } = 256;

    /// <summary>
    /// A live stream with no frame for this long is announced as stopped (reason <c>idle</c>). Default 3 s, which
    /// exceeds Opus DTX's 400 ms keep-alive packets. Range 100 ms–1 h.
    /// </summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Largest text or binary message accepted, in bytes; larger ones close the connection with 1009. Default 16 KiB:
    /// room for 60 ms of 48 kHz stereo PCM plus header, and for a join carrying a token. Range 1 KiB–1 MiB.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// How long the server waits for the peer's answer to its close frame, and for queued messages to drain,
    /// before aborting the connection. Default 3 s. Range 100 ms–1 min.
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A connection that has sent nothing for this long gets a WebSocket ping frame, which keeps an idle path open
    /// through proxies and NATs and asks a silent peer for a sign of life. Default 15 s; zero turns pings off (and
    /// with them <see cref="KeepAliveTimeout"/>).
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A connection that sends nothing for this long after a keep-alive ping, not even the pong, is aborted (a dead
    /// peer). Default 30 s; zero waits forever, pinging every <see cref="KeepAliveInterval"/>. Clients must keep
    /// reading their socket for the answer to be sent.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
