namespace WsAudio.Cli.Bot;

/// <summary>The shape of a bot run.</summary>
internal sealed record LoadTestOptions
{
    /// <summary>The server, or several nodes of one cluster: speakers connect to the first, listeners take turns.</summary>
    public required IReadOnlyList<Uri> Urls { get; init; }
    public int Rooms { get; init; } = 1;
    public int Speakers { get; init; } = 1;
    public int Listeners { get; init; } = 10;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan RampUp { get; init; } = TimeSpan.FromSeconds(5);
    public string RoomPrefix { get; init; } = "bot-";
    public required IReadOnlyList<byte[]> Packets { get; init; }
    public TimeSpan Late { get; init; } = TimeSpan.FromMilliseconds(200);
    public int MaxConcurrentConnects { get; init; } = 64;
    public string? Token { get; init; }

    /// <summary>Speak the benchmark peers' plain shape (<see cref="PlainFrame"/>, room and role in the URL).</summary>
    public bool Plain { get; init; }

    /// <summary>Listeners play each room's radio listen URL (HTTP, Ogg) instead of joining over WebSockets.</summary>
    public bool ListenUrl { get; init; }

    /// <summary>Listeners that join the first room while it streams, one every 250 ms, to time join → first audio.</summary>
    public int LateJoiners { get; init; }

    /// <summary>Taps per room (speech-recognition feeds, 16 kHz), in <see cref="TapMode"/>.</summary>
    public int Taps { get; init; }

    public Protocol.Messages.TapMode TapMode { get; init; } = Protocol.Messages.TapMode.Mix;

    /// <summary>How often a connection that sends nothing pings, from the moment it joins. Default 25 s.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>A local server process whose CPU and memory to read from /proc, instead of its /metrics.</summary>
    public int? ServerPid { get; init; }
}
