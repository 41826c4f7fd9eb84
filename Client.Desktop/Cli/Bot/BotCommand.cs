using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using WsAudio.Audio.Opus;
using WsAudio.Audio.Wav;

namespace WsAudio.Cli.Bot;

/// <summary><c>wsaudio bot</c>: load-tests a server with simulated rooms of speakers and listeners.</summary>
internal static class BotCommand
{
    public static Command Create()
    {
        var url = CommonOptions.Urls();
        var rooms = new Option<int>("--rooms", "-r") { Description = "Rooms to fill", DefaultValueFactory = _ => 1 };
        var speakers = new Option<int>("--speakers", "-s") { Description = "Speakers per room (each sends 50 frames/s)", DefaultValueFactory = _ => 1 };
        var listeners = new Option<int>("--listeners", "-l") { Description = "Listeners per room", DefaultValueFactory = _ => 10 };
        var duration = Duration.Option("--duration", $"How long the speakers send: {Duration.Forms}", TimeSpan.FromSeconds(30), "-d");
        var rampUp = Duration.Option("--ramp-up", "Spread the connections over this long", TimeSpan.FromSeconds(5));
        var file = new Option<FileInfo?>("--file") { Description = "Speech to send (WAV); encoded once to Opus at start. Default: a synthetic voice-like signal" };
        var prefix = new Option<string>("--room-prefix") { Description = "Room names are PREFIX0, PREFIX1, …", DefaultValueFactory = _ => "bot-" };
        var late = new Option<int>("--late-ms") { Description = "A frame with more end-to-end latency than this counts as late", DefaultValueFactory = _ => 200 };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to this file ('-' for standard output)" };
        var failIf = new Option<string[]>("--fail-if")
        {
            Description = "Exit with code 3 when a condition holds, e.g. --fail-if 'p99>50ms' --fail-if 'loss>0.1%' --fail-if 'failed>0'",
            AllowMultipleArgumentsPerToken = false,
        };
        var token = new Option<string?>("--token") { Description = "Access token for every bot connection (mint one for PREFIX* with publish,subscribe)" };
        var plain = new Option<bool>("--plain")
        {
            Description = "Benchmark a minimal relay instead of a WsAudio server: room and role in the URL (?room=&role=), no control messages, frames prefixed with capture time (int64 µs), stream and sequence (uint32), big-endian",
        };
        var listenUrl = new Option<bool>("--listen-url")
        {
            Description = "Listeners play each room's radio listen URL (/rooms/ROOM/stream.ogg over HTTP) instead of joining over WebSockets; speakers stamp their packets so that the players can time them",
        };
        var lateJoiners = new Option<int>("--late-joiners") { Description = "Listeners that join the first room while it streams (one every 250 ms), timed from join to first audio and to the first frame captured after the join" };
        var serverPid = new Option<int?>("--server-pid") { Description = "Read the server's CPU and memory from /proc/PID (Linux) instead of its /metrics" };
        var keepAlive = Duration.Option("--keep-alive", "How often a connection that sends nothing pings, from the moment it joins", TimeSpan.FromSeconds(25));
        var taps = new Option<int>("--taps") { Description = "Taps per room: speech-recognition feeds at 16 kHz, timed from capture to arrival" };
        var tapMode = new Option<string>("--tap-mode") { Description = "What the taps get: mix or per-speaker", DefaultValueFactory = _ => "mix" };
        tapMode.AcceptOnlyFromAmong("mix", "per-speaker");
        var quiet = CommonOptions.Quiet();
        var command = new Command("bot", "Load-test a server: R rooms × S speakers × L listeners, real Opus at real-time pace")
        {
            url, rooms, speakers, listeners, duration, rampUp, file, prefix, late, json, failIf, token, plain, listenUrl, lateJoiners, serverPid, taps, tapMode, keepAlive, quiet,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Checked here rather than in a validator, which sees unset options without their defaults.
            if (parse.GetValue(rooms) < 1 || parse.GetValue(speakers) < 0 || parse.GetValue(listeners) < 0)
            {
                Console.Error.WriteLine("wsaudio bot: --rooms must be at least 1; --speakers and --listeners at least 0");
                return 2;
            }

            if (parse.GetValue(listenUrl) && (parse.GetValue(speakers) != 1 || parse.GetValue(plain)))
            {
                // A listen URL carries one sender of its room; the peers of --plain have none.
                Console.Error.WriteLine("wsaudio bot: --listen-url needs --speakers 1 and a WsAudio server (not --plain)");
                return 2;
            }

            FailCondition[] conditions;
            IReadOnlyList<byte[]> packets;
            try
            {
                conditions = (parse.GetValue(failIf) ?? []).Select(FailCondition.Parse).ToArray();
                packets = Encode(parse.GetValue(file));
            }
            catch (Exception ex) when (ex is FormatException or IOException or InvalidDataException or OpusException or DllNotFoundException)
            {
                Console.Error.WriteLine($"wsaudio bot: {ex.Message}");
                return 2;
            }

            var test = new LoadTest(new LoadTestOptions
            {
                Urls = parse.GetValue(url)!,
                Rooms = parse.GetValue(rooms),
                Speakers = parse.GetValue(speakers),
                Listeners = parse.GetValue(listeners),
                Duration = parse.GetValue(duration) ?? TimeSpan.FromSeconds(30),
                RampUp = parse.GetValue(rampUp) ?? TimeSpan.FromSeconds(5),
                RoomPrefix = parse.GetValue(prefix)!,
                Packets = packets,
                Late = TimeSpan.FromMilliseconds(parse.GetValue(late)),
                Token = parse.GetValue(token),
                Plain = parse.GetValue(plain),
                ListenUrl = parse.GetValue(listenUrl),
                ServerPid = parse.GetValue(serverPid),
                LateJoiners = parse.GetValue(lateJoiners),
                Taps = parse.GetValue(taps),
                KeepAlive = parse.GetValue(keepAlive) is { } alive && alive > TimeSpan.Zero ? alive : TimeSpan.FromSeconds(25),
                TapMode = parse.GetValue(tapMode) == "per-speaker" ? Protocol.Messages.TapMode.PerSpeaker : Protocol.Messages.TapMode.Mix,
            });
            var report = await RunWithProgressAsync(test, parse.GetValue(quiet), cancellationToken);
            report = report with { BrokenConditions = conditions.Where(c => c.IsBrokenBy(report)).Select(c => c.Text).ToArray() };
            string? jsonPath = parse.GetValue(json);
            var output = jsonPath == "-" ? Console.Error : Console.Out;
            output.Write(Format(report));
            if (jsonPath is not null)
            {
                string text = JsonSerializer.Serialize(report, CliJsonContext.Default.BotReport);
                if (jsonPath == "-")
                {
                    Console.Out.WriteLine(text);
                }
                else
                {
                    await File.WriteAllTextAsync(jsonPath, text, CancellationToken.None);
                }
            }

            return report.BrokenConditions.Count > 0 ? 3 : 0;
        });
        return command;
    }

    /// <summary>Opus packets of 20 ms at the defaults: from the file, or from a synthetic voice-like signal.</summary>
    private static List<byte[]> Encode(FileInfo? file)
    {
        float[] audio = file is null ? SyntheticVoice(seconds: 10) : WavReader.Read(file.FullName).ToMono48k();
        using var encoder = new OpusEncoder(new OpusEncoderOptions());
        var buffer = new byte[OpusEncoder.MaxPacketBytes];
        var packets = new List<byte[]>();
        for (int offset = 0; offset + 960 <= audio.Length; offset += 960)
        {
            int length = encoder.Encode(audio.AsSpan(offset, 960), buffer);
            packets.Add(buffer[..length]);
        }

        if (packets.Count == 0)
        {
            throw new InvalidDataException("the file holds less than 20 ms of audio");
        }

        return packets;
    }

    // A 120–220 Hz glottal-like pulse train with syllable-rate loudness changes: packet sizes like speech's.
    private static float[] SyntheticVoice(int seconds)
    {
        var samples = new float[48000 * seconds];
        double phase = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            double t = i / 48000.0;
            double pitch = 170 + (50 * Math.Sin(2 * Math.PI * 0.7 * t));
            phase += pitch / 48000;
            double envelope = Math.Max(0, Math.Sin(2 * Math.PI * 3 * t));
            double voice = Math.Sin(2 * Math.PI * phase) + (0.5 * Math.Sin(4 * Math.PI * phase)) + (0.25 * Math.Sin(6 * Math.PI * phase));
            samples[i] = (float)(0.2 * envelope * voice);
        }

        return samples;
    }

    private static async Task<BotReport> RunWithProgressAsync(LoadTest test, bool quiet, CancellationToken cancellationToken)
    {
        var running = test.RunAsync(cancellationToken);
        bool terminal = !quiet && !Console.IsErrorRedirected;
        var clock = Stopwatch.StartNew();
        long lastReceived = 0;
        var lastTick = TimeSpan.Zero;
        int tick = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, timer.WaitForNextTickAsync(CancellationToken.None).AsTask());
            var stats = test.Stats;
            var elapsed = clock.Elapsed;
            double rate = (stats.Received - lastReceived) / Math.Max(0.001, (elapsed - lastTick).TotalSeconds);
            lastReceived = stats.Received;
            lastTick = elapsed;
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{elapsed:hh\\:mm\\:ss} {test.Phase,-10} {stats.Opened,6}/{test.Participants} connected ({stats.Failed} failed)  " +
                $"sent {stats.Sent,9}  received {rate,9:F0}/s  p99 {stats.Latency.PercentileMs(0.99),6:F1} ms  lost {stats.Lost}");
            if (terminal)
            {
                Console.Error.Write('\r' + line);
            }
            else if (!quiet && tick++ % 5 == 0)
            {
                Console.Error.WriteLine(line);
            }
        }

        if (terminal)
        {
            Console.Error.WriteLine();
        }

        return await running;
    }

    private static string Format(BotReport r)
    {
        var text = new StringBuilder();
        void Line(string label, string value) => text.Append(CultureInfo.InvariantCulture, $"  {label,-30} {value}\n");
        string Optional(double? value, string format, string unit = "") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) + unit : "n/a (no /metrics)";
        text.Append(CultureInfo.InvariantCulture, $"wsaudio bot: {r.Rooms} rooms × {r.SpeakersPerRoom} speakers × {r.ListenersPerRoom} listeners, {r.DurationSeconds:F1} s\n");
        Line("connections opened / failed", $"{r.ConnectionsOpened} / {r.ConnectionsFailed}");
        Line("connect and join all", $"{r.ConnectSeconds:F2} s (server CPU {Optional(r.ServerConnectCpuSeconds, "F2", " s")}, bot CPU {r.BotConnectCpuSeconds:F2} s)");
        Line("reconnects", $"{r.Reconnects}");
        Line("frames sent (skipped)", $"{r.FramesSent} ({r.FramesSkipped})");
        Line("frames expected / received", $"{r.FramesExpected} / {r.FramesReceived} ({r.ReceivedPerSecond:F0}/s)");
        Line("frames lost", $"{r.FramesLost} ({r.LossPercent:F3}%)");
        Line("frames out of order", $"{r.FramesOutOfOrder}");
        Line($"frames late (> {r.LateThresholdMs:F0} ms)", $"{r.FramesLate}");
        Line("latency p50 / p95 / p99 / max", $"{r.LatencyP50Ms:F1} / {r.LatencyP95Ms:F1} / {r.LatencyP99Ms:F1} / {r.LatencyMaxMs:F1} ms");
        Line("jitter (RFC 3550, mean)", $"{r.JitterMs:F2} ms");
        if (r.LateJoins > 0)
        {
            Line("late join → first audio", $"p50 {r.LateJoinToFirstAudioP50Ms:F1} / max {r.LateJoinToFirstAudioMaxMs:F1} ms ({r.LateJoins} joins)");
            if (r.LateJoinToLiveAudioP50Ms is { } live)
            {
                Line("late join → live audio", $"p50 {live:F1} ms (first frame captured after the join)");
            }
        }
        if (r.TapsPerRoom > 0)
        {
            Line("tap frames, capture → tap p50/p99", $"{r.TapFrames}, {r.TapLatencyP50Ms:F1} / {r.TapLatencyP99Ms:F1} ms ({r.TapsPerRoom} per room; server dropped {Optional(r.ServerTapDrops, "F0")}, decoding {Optional(r.ServerDecodedStreams, "F0")} streams)");
        }

        Line("bot CPU", $"{r.BotCpuSeconds:F1} s ({r.BotCpuPercentOfOneCore:F0}% of one core)");
        Line("server CPU", Optional(r.ServerCpuSeconds, "F1", " s"));
        Line("server CPU per million frames", Optional(r.ServerCpuSecondsPerMillionFrames, "F2", " s"));
        Line("server memory", Optional(r.ServerMemoryBytes / 1048576, "F0", " MiB"));
        Line("server memory per connection", Optional(r.ServerMemoryPerConnectionBytes / 1024, "F1", " KiB"));
        Line("server drops", Optional(r.ServerDrops, "F0"));
        Line("server forwarding p99", Optional(r.ServerForwardP99Ms, "F2", " ms"));
        if (r.BrokenConditions.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"FAILED: {string.Join(", ", r.BrokenConditions)}\n");
        }

        return text.ToString();
    }
}
