using System.Diagnostics;

namespace WsAudio.Cli.Bot;

/// <summary>
/// Runs one load test: connects every simulated participant (spread over the ramp-up), lets every speaker send
/// real Opus frames at real-time pace for the duration, waits for the last frames, and reports.
/// </summary>
internal sealed class LoadTest
{
    private const string CpuMetric = "process_cpu_seconds_total";
    private const string MemoryMetric = "process_resident_memory_bytes";
    private const string FromProcess = "bot:from_process";
    private static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);
    private readonly LoadTestOptions _options;

    public LoadTest(LoadTestOptions options)
    {
        _options = options;
    }

    public LoadStats Stats { get; } = new();

    /// <summary>What the run is doing now, for the progress line.</summary>
    public string Phase { get; private set; } = "starting";

    public int Participants => _options.Rooms * (_options.Speakers + _options.Listeners);

    public async Task<BotReport> RunAsync(CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var probe = new ServerProbe(_options.Urls[0]);
        var process = _options.ServerPid is { } pid ? new ProcessProbe(pid) : null;
        var beforeConnect = await ScrapeAsync(probe, process);

        // Every listen-URL listener's requests go through one client, as a player host's would.
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var peers = CreatePeers(http, stopping.Token);
        Phase = "connecting";

        // Every connection is kept inside the server's idle timeout from the moment it joins, the ramp-up included.
        using var pinging = new CancellationTokenSource();
        var pings = KeepAliveAsync(peers, _options.KeepAlive, pinging.Token);
        var connecting = Stopwatch.StartNew();
        var cpuBeforeConnect = Process.GetCurrentProcess().TotalProcessorTime;
        await ConnectAllAsync(peers, cancellationToken);
        var connected = connecting.Elapsed;
        var connectCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBeforeConnect;
        var beforeSend = await ScrapeAsync(probe, process);

        Phase = "streaming";
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var lateJoins = ProbeLateJoinsAsync(http, pinging.Token);
        long sentFrames = await StreamAsync(peers.OfType<BotPeer>().Where(p => p.IsSpeaker).ToList(), cancellationToken);
        var streamed = clock.Elapsed;
        await pinging.CancelAsync();
        await pings;
        var (lateJoinMs, liveJoinMs) = await lateJoins;

        Phase = "draining";
        await DrainAsync(sentFrames);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var after = await ScrapeAsync(probe, process);

        Phase = "closing";
        await stopping.CancelAsync();
        await Parallel.ForEachAsync(peers, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentConnects }, async (peer, _) => await peer.FinishAsync());
        return BuildReport(streamed, connected, cpu, beforeConnect, beforeSend, after) with
        {
            BotConnectCpuSeconds = connectCpu.TotalSeconds,
            LateJoins = lateJoinMs.Count,
            LateJoinToFirstAudioP50Ms = Percentile(lateJoinMs, 0.5),
            LateJoinToFirstAudioMaxMs = lateJoinMs.Count == 0 ? null : lateJoinMs.Max(),
            LateJoinToLiveAudioP50Ms = Percentile(liveJoinMs, 0.5),
        };
    }

    // Once the room has streamed for a second, a listener joins every 250 ms, each timed from join to first audio
    // and to its first frame captured after the join (not for the listen URL, whose players are timed to first audio).
    private async Task<(List<double> First, List<double> Live)> ProbeLateJoinsAsync(HttpClient http, CancellationToken stopping)
    {
        var times = new List<double>();
        var live = new List<double>();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stopping);
            for (int i = 0; i < _options.LateJoiners; i++)
            {
                string room = $"{_options.RoomPrefix}0";
                var (first, toLive) = _options.ListenUrl
                    ? (await ListenUrlPeer.TimeToFirstAudioAsync(http, ListenUrlPeer.ListenUrl(_options.Urls[0], room, _options.Token), TimeSpan.FromSeconds(5)), null)
                    : await LateJoinProbe.MeasureAsync(_options.Urls[0], room, _options.Plain, _options.Token, TimeSpan.FromSeconds(5));
                if (first is { } ms)
                {
                    times.Add(ms);
                }

                if (toLive is { } liveMs)
                {
                    live.Add(liveMs);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), stopping);
            }
        }
        catch (OperationCanceledException)
        {
        }

        return (times, live);
    }

    private static double? Percentile(List<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
    }

    // The server's metrics; with a process to watch, its CPU and memory from /proc replace the reported ones, so
    // every relay is measured the same way.
    private static async Task<IReadOnlyDictionary<string, double>?> ScrapeAsync(ServerProbe probe, ProcessProbe? process)
    {
        var metrics = await probe.ScrapeAsync();
        if (process?.Read() is not { } usage)
        {
            return metrics;
        }

        var values = metrics is null ? new Dictionary<string, double>(StringComparer.Ordinal) : new Dictionary<string, double>(metrics, StringComparer.Ordinal);
        values[CpuMetric] = usage.CpuSeconds;
        values[MemoryMetric] = usage.ResidentBytes;
        values[FromProcess] = 1;
        return values;
    }

    private List<IBotPeer> CreatePeers(HttpClient http, CancellationToken stopping)
    {
        var peers = new List<IBotPeer>(Participants);
        for (int r = 0; r < _options.Rooms; r++)
        {
            string room = $"{_options.RoomPrefix}{r}";
            for (int s = 0; s < _options.Speakers; s++)
            {
                peers.Add(new BotPeer(_options.Urls[0], room, Protocol.ParticipantRole.Speaker, _options.Token, Stats, _options.Late, stopping, _options.Plain, stamp: _options.ListenUrl));
            }

            for (int t = 0; t < _options.Taps; t++)
            {
                peers.Add(new TapPeer(_options.Urls[t % _options.Urls.Count], room, _options.TapMode, _options.Token, Stats));
            }

            for (int l = 0; l < _options.Listeners; l++)
            {
                var url = _options.Urls[l % _options.Urls.Count];
                peers.Add(_options.ListenUrl
                    ? new ListenUrlPeer(http, url, room, _options.Token, Stats, _options.Late, stopping)
                    : new BotPeer(url, room, Protocol.ParticipantRole.Listener, _options.Token, Stats, _options.Late, stopping, _options.Plain));
            }
        }

        return peers;
    }

    // Connection i starts at i/N of the ramp-up, so the server sees a steady arrival rate rather than a burst.
    private async Task ConnectAllAsync(List<IBotPeer> peers, CancellationToken cancellationToken)
    {
        var start = Stopwatch.StartNew();
        double spacing = peers.Count == 0 ? 0 : _options.RampUp.TotalMilliseconds / peers.Count;
        using var gate = new SemaphoreSlim(_options.MaxConcurrentConnects);
        var connecting = new List<Task>(peers.Count);
        for (int i = 0; i < peers.Count; i++)
        {
            var due = TimeSpan.FromMilliseconds(i * spacing) - start.Elapsed;
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due, cancellationToken);
            }

            await gate.WaitAsync(cancellationToken);
            var peer = peers[i];
            connecting.Add(Task.Run(async () =>
            {
                try
                {
                    await peer.ConnectAsync(TimeSpan.FromSeconds(15));
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(connecting);
    }

    /// <summary>
    /// Listeners send nothing by themselves, nor do speakers before the streaming starts: a ping every
    /// <paramref name="interval"/> keeps each inside the server's idle timeout (each peer decides whether it needs one).
    /// </summary>
    private static async Task KeepAliveAsync(List<IBotPeer> peers, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await Parallel.ForEachAsync(peers, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (peer, _) => await peer.PingAsync());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Frame k of every speaker is due at k × 20 ms; a late tick sends at once rather than skipping.</summary>
    private async Task<long> StreamAsync(List<BotPeer> speakers, CancellationToken cancellationToken)
    {
        long frames = (long)(_options.Duration / FrameDuration);
        var clock = Stopwatch.StartNew();
        for (long k = 0; k < frames && !cancellationToken.IsCancellationRequested; k++)
        {
            var wait = (FrameDuration * k) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            byte[] packet = _options.Packets[(int)(k % _options.Packets.Count)];
            foreach (var speaker in speakers)
            {
                speaker.TrySend(packet, (uint)(k * 960));
            }
        }

        return Stats.Sent;
    }

    // The last frames are in flight for a few milliseconds; stop waiting once nothing has arrived for 300 ms.
    private async Task DrainAsync(long sentFrames)
    {
        long expected = sentFrames * Math.Max(0, _options.Speakers + _options.Listeners - 1);
        long last = -1;
        var quiet = Stopwatch.StartNew();
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < TimeSpan.FromSeconds(5) && Stats.Received < expected)
        {
            await Task.Delay(50);
            long now = Stats.Received;
            if (now != last)
            {
                last = now;
                quiet.Restart();
            }
            else if (quiet.Elapsed > TimeSpan.FromMilliseconds(300))
            {
                break;
            }
        }
    }

    private BotReport BuildReport(
        TimeSpan streamed,
        TimeSpan connected,
        TimeSpan cpu,
        IReadOnlyDictionary<string, double>? beforeConnect,
        IReadOnlyDictionary<string, double>? beforeSend,
        IReadOnlyDictionary<string, double>? after)
    {
        // Each speaker's frame reaches every other member of its room that receives: listeners and other speakers.
        long receiversPerSpeakerFrame = _options.Listeners + _options.Speakers - 1;
        long expected = Stats.Sent * receiversPerSpeakerFrame;
        long missing = Math.Max(0, expected - Stats.Received);
        double? Delta(string name) => after?.GetValueOrDefault(name) - beforeSend?.GetValueOrDefault(name);
        double? serverCpu = Delta(CpuMetric);

        // Measured from /proc, the frames per CPU second are those the bot received, for any relay alike.
        double? delivered = after?.ContainsKey(FromProcess) == true ? Stats.Received : Delta("wsaudio_frames_sent_total");
        double? memoryGrowth = beforeSend?.GetValueOrDefault(MemoryMetric) - beforeConnect?.GetValueOrDefault(MemoryMetric);
        return new BotReport
        {
            Rooms = _options.Rooms,
            SpeakersPerRoom = _options.Speakers,
            ListenersPerRoom = _options.Listeners,
            DurationSeconds = streamed.TotalSeconds,
            ConnectSeconds = connected.TotalSeconds,
            ServerConnectCpuSeconds = beforeSend?.GetValueOrDefault(CpuMetric) - beforeConnect?.GetValueOrDefault(CpuMetric),
            ConnectionsOpened = Stats.Opened,
            ConnectionsFailed = Stats.Failed,
            Reconnects = Stats.Reconnects,
            FramesSent = Stats.Sent,
            FramesSkipped = Stats.SendSkipped,
            FramesExpected = expected,
            FramesReceived = Stats.Received,
            FramesLost = missing,
            FramesOutOfOrder = Stats.OutOfOrder,
            FramesLate = Stats.Late,
            LateThresholdMs = _options.Late.TotalMilliseconds,
            LossPercent = expected == 0 ? 0 : 100.0 * missing / expected,
            ReceivedPerSecond = Stats.Received / Math.Max(0.001, streamed.TotalSeconds),
            LatencyP50Ms = Stats.Latency.PercentileMs(0.50),
            LatencyP95Ms = Stats.Latency.PercentileMs(0.95),
            LatencyP99Ms = Stats.Latency.PercentileMs(0.99),
            LatencyMaxMs = Stats.Latency.MaxMs,
            JitterMs = Stats.JitterMs,
            BotCpuSeconds = cpu.TotalSeconds,
            BotCpuPercentOfOneCore = 100 * cpu.TotalSeconds / Math.Max(0.001, streamed.TotalSeconds),
            ServerCpuSeconds = serverCpu,
            ServerCpuSecondsPerMillionFrames = serverCpu is { } c && delivered is > 0 ? c / (delivered.Value / 1e6) : null,
            ServerMemoryBytes = after?.GetValueOrDefault(MemoryMetric),
            ServerMemoryPerConnectionBytes = memoryGrowth is { } m && Stats.Opened > 0 ? m / Stats.Opened : null,
            ServerDrops = Delta("wsaudio_frames_dropped_total"),
            ServerForwardP99Ms = ForwardP99Ms(beforeSend, after),
            TapsPerRoom = _options.Taps,
            TapFrames = Stats.TapLatency.Count,
            TapLatencyP50Ms = Stats.TapLatency.Count == 0 ? null : Stats.TapLatency.PercentileMs(0.50),
            TapLatencyP99Ms = Stats.TapLatency.Count == 0 ? null : Stats.TapLatency.PercentileMs(0.99),
            ServerDecodedStreams = beforeSend?.GetValueOrDefault("wsaudio_decoded_streams"),
            ServerTapDrops = Delta("wsaudio_tap_frames_dropped_total"),
        };
    }

    private static double? ForwardP99Ms(IReadOnlyDictionary<string, double>? before, IReadOnlyDictionary<string, double>? after)
    {
        if (before is null || after is null)
        {
            return null;
        }

        var buckets = after.Keys
            .Where(k => k.StartsWith("wsaudio_forward_latency_seconds_bucket{le=\"", StringComparison.Ordinal) && !k.Contains("+Inf", StringComparison.Ordinal))
            .Select(k => (Bound: double.Parse(k[(k.IndexOf('"', StringComparison.Ordinal) + 1)..k.LastIndexOf('"')], System.Globalization.CultureInfo.InvariantCulture), Count: after[k] - before.GetValueOrDefault(k)))
            .OrderBy(b => b.Bound)
            .ToList();
        double total = after.GetValueOrDefault("wsaudio_forward_latency_seconds_count") - before.GetValueOrDefault("wsaudio_forward_latency_seconds_count");
        foreach (var (bound, count) in buckets)
        {
            if (total > 0 && count >= 0.99 * total)
            {
                return bound * 1000;
            }
        }

        return total > 0 ? double.PositiveInfinity : null;
    }
}
