namespace WsAudio.Cli.Bot;

/// <summary>What a bot run measured; written as text and, with <c>--json</c>, as JSON.</summary>
internal sealed record BotReport
{
    public required int Rooms { get; init; }
    public required int SpeakersPerRoom { get; init; }
    public required int ListenersPerRoom { get; init; }
    public required double DurationSeconds { get; init; }

    /// <summary>Wall time from the first connect to the last participant joined.</summary>
    public required double ConnectSeconds { get; init; }

    /// <summary>Server CPU spent while the participants connected and joined.</summary>
    public double? ServerConnectCpuSeconds { get; init; }

    /// <summary>
    /// The bot's own CPU over the same phase: on one machine, it shares the cores with the server, so it bounds
    /// how fast any server can be filled.
    /// </summary>
    public double BotConnectCpuSeconds { get; init; }
    public required long ConnectionsOpened { get; init; }
    public required long ConnectionsFailed { get; init; }
    public required long Reconnects { get; init; }
    public required long FramesSent { get; init; }
    public required long FramesSkipped { get; init; }
    public required long FramesExpected { get; init; }
    public required long FramesReceived { get; init; }
    public required long FramesLost { get; init; }
    public required long FramesOutOfOrder { get; init; }
    public required long FramesLate { get; init; }
    public required double LateThresholdMs { get; init; }
    public required double LossPercent { get; init; }
    public required double ReceivedPerSecond { get; init; }
    public required double LatencyP50Ms { get; init; }
    public required double LatencyP95Ms { get; init; }
    public required double LatencyP99Ms { get; init; }
    public required double LatencyMaxMs { get; init; }
    public required double JitterMs { get; init; }
    public required double BotCpuSeconds { get; init; }
    public required double BotCpuPercentOfOneCore { get; init; }
    public double? ServerCpuSeconds { get; init; }
    public double? ServerCpuSecondsPerMillionFrames { get; init; }
    public double? ServerMemoryBytes { get; init; }
    public double? ServerMemoryPerConnectionBytes { get; init; }
    public double? ServerDrops { get; init; }
    public double? ServerForwardP99Ms { get; init; }
    /// <summary>Late joiners timed (<c>--late-joiners</c>).</summary>
    public int LateJoins { get; init; }

    /// <summary>Median time from a late joiner's join to its first audio frame.</summary>
    public double? LateJoinToFirstAudioP50Ms { get; init; }

    public double? LateJoinToFirstAudioMaxMs { get; init; }

    /// <summary>
    /// Median time from a late joiner's join to its first frame captured after the join: the same as
    /// <see cref="LateJoinToFirstAudioP50Ms"/> unless the server starts joiners with recent frames.
    /// </summary>
    public double? LateJoinToLiveAudioP50Ms { get; init; }

    /// <summary>Taps per room (<c>--taps</c>) and what they got: frames, and their age from capture to arrival.</summary>
    public int TapsPerRoom { get; init; }

    public long TapFrames { get; init; }

    public double? TapLatencyP50Ms { get; init; }

    public double? TapLatencyP99Ms { get; init; }

    /// <summary>Streams the server was decoding once everyone had joined (its <c>wsaudio_decoded_streams</c>).</summary>
    public double? ServerDecodedStreams { get; init; }

    public double? ServerTapDrops { get; init; }

    public IReadOnlyList<string> BrokenConditions { get; init; } = [];
}
