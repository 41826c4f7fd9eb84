namespace WsAudio.Server.Hosting;

/// <summary>What one client, room or server may take. Section <c>Limits</c>. docs/security.md says what each defends against.</summary>
internal sealed class LimitsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Limits";

    /// <summary>
    /// Audio frames one sender may send per second, with a one-second burst. Default 500: the shortest Opus frame
    /// the protocol allows (2.5 ms) makes 400 a second, with a quarter to spare. 0 turns it off.
    /// </summary>
    public int MaxFramesPerSecond { get; set; } = 500;

    /// <summary>
    /// Audio bytes (headers included) one sender may send per second, with a one-second burst. Default 262,144: the
    /// largest stream the protocol allows, 48 kHz stereo PCM in 2.5 ms frames, needs 201,600. 0 turns it off.
    /// </summary>
    public int MaxBytesPerSecond { get; set; } = 256 * 1024;

    /// <summary>
    /// Control (JSON) messages one connection may send per second, with a one-second burst. Default 20: a client
    /// needs a join, a ping every few seconds and a mute now and then, while each mute or join is announced to the
    /// whole room, so a flood of them would multiply. Over it the connection is closed with <c>rate-limited</c>.
    /// 0 turns it off.
    /// </summary>
    public int MaxControlMessagesPerSecond { get; set; } = 20;

    /// <summary>
    /// Open TCP connections from one IP address, counted when they are accepted (before any HTTP), so that
    /// half-sent requests count too. Connections from <c>Network:KnownProxies</c> are not counted there; the
    /// forwarded client address is counted at the WebSocket handshake instead. Default 200. 0 turns it off.
    /// </summary>
    public int MaxConnectionsPerIp { get; set; } = 200;

    /// <summary>
    /// Open TCP connections to this server, of every kind. Default 0: 80% of the process's open-file limit (read at
    /// start-up), or less where that would not leave 144 descriptors beyond those the process already holds (the
    /// runtime holds about 200: under a limit of 1,024 the cap is about 680); no cap on a platform without such a
    /// limit. Past it, new connections are closed at once, so the server never runs out of descriptors.
    /// </summary>
    public int MaxConnections { get; set; }

    /// <summary>
    /// Members of one room on this node. Default 50,000: a large broadcast's audience costs each join O(1), so
    /// the bound is the node's connections and bandwidth rather than the room. 0 turns it off.
    /// </summary>
    public int MaxParticipantsPerRoom { get; set; } = 50_000;

    /// <summary>Rooms on this server. Default 10,000. 0 turns it off.</summary>
    public int MaxRooms { get; set; } = 10_000;

    /// <summary>A connection must send <c>join</c> within this time of its handshake. Default 10 s.</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection that sends nothing (no audio, no control message, not even <c>ping</c>) for this long is closed.
    /// Default 5 min; clients that only listen send <c>ping</c> now and then. Zero turns it off.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A receiver whose audio queue keeps overflowing for this long is closed as slow (4001). Default 10 s.</summary>
    public TimeSpan SlowConsumerTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
