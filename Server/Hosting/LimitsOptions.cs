namespace WsAudio.Server.Hosting;

/// <summary>What one client, room or server may take. Section <c>Limits</c>. docs/security.md says what each defends against.</summary>
internal sealed class LimitsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Limits";

    /// <summary>Audio frames one sender may send per second, with a one-second burst. Default 250 (enough for 5 ms frames and resends). 0 turns it off.</summary>
    public int MaxFramesPerSecond { get; set; } = 250;

    /// <summary>Audio bytes one sender may send per second, with a one-second burst. Default 262,144 (stereo 48 kHz PCM needs 192,000). 0 turns it off.</summary>
    public int MaxBytesPerSecond { get; set; } = 256 * 1024;

    /// <summary>Open connections from one IP address (behind trusted proxies, the forwarded one). Default 200. 0 turns it off.</summary>
    public int MaxConnectionsPerIp { get; set; } = 200;

    /// <summary>Members of one room. Default 10,000. 0 turns it off.</summary>
    public int MaxParticipantsPerRoom { get; set; } = 10_000;

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
