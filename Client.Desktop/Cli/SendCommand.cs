using System.CommandLine;
using System.Diagnostics;
using WsAudio.Audio.Opus;
using WsAudio.Client.Connection;
using WsAudio.Client.Devices;
using WsAudio.Client.Sending;
using WsAudio.Protocol;

namespace WsAudio.Cli;

/// <summary><c>wsaudio send</c>: stream a WAV file, standard input or a microphone into a room.</summary>
internal static class SendCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var role = new Option<ParticipantRole>("--role")
        {
            Description = "broadcaster (send only) or speaker (also hears the room, which send ignores)",
            DefaultValueFactory = _ => ParticipantRole.Broadcaster,
        };
        var file = new Option<string?>("--file") { Description = "A WAV file (16/24/32-bit PCM or float, any rate and channels), read as it is sent; '-' reads WAV from standard input (ffmpeg -i in.mp3 -f wav - | wsaudio send --file -)" };
        var stdin = new Option<string?>("--stdin") { Description = "Raw PCM on standard input, as encoding:rate:channels, e.g. s16le:48000:1" };
        var mic = CommonOptions.OptionalValue("--mic", "Capture a microphone: the default one, or an index or part of a name from 'wsaudio devices'");
        var loop = new Option<bool>("--loop") { Description = "Start the file again at its end, until stopped" };
        var duration = Duration.Option("--duration", $"Stop after this long: {Duration.Forms}");
        var channels = new Option<int>("--channels")
        {
            Description = "1 (mono: everything mixed down) or 2 (stereo, for --file and --stdin: music, a stereo mix)",
            DefaultValueFactory = _ => 1,
        };
        channels.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is not (1 or 2))
            {
                result.AddError("--channels must be 1 or 2");
            }
        });
        var codec = new Option<AudioCodec>("--codec") { Description = "opus, or pcm16 (uncompressed, 768 kbit/s)", DefaultValueFactory = _ => AudioCodec.Opus };
        var bitrate = new Option<int>("--bitrate") { Description = "Opus bit rate in bit/s (6000-510000)", DefaultValueFactory = _ => 32_000 };
        var frameMs = new Option<double>("--frame-ms") { Description = "Frame duration in ms: 2.5, 5, 10, 20, 40 or 60", DefaultValueFactory = _ => 20 };
        var complexity = new Option<int>("--complexity") { Description = "Opus complexity 0-10", DefaultValueFactory = _ => 10 };
        var application = new Option<OpusApplication>("--application") { Description = "Opus tuning: voip, audio or lowdelay", DefaultValueFactory = _ => OpusApplication.Voip };
        var fec = new Option<bool>("--fec") { Description = "Opus in-band forward error correction (for lossy networks)" };
        var dtx = new Option<bool>("--dtx") { Description = "Opus discontinuous transmission: almost nothing is sent during silence" };

        var command = new Command("send", "Stream audio into a room")
        {
            role, file, stdin, mic, loop, duration, channels, codec, bitrate, frameMs, complexity, application, fec, dtx,
        };
        connection.AddTo(command);
        command.Validators.Add(result =>
        {
            int sources = (result.GetResult(file) is null ? 0 : 1) + (result.GetResult(stdin) is null ? 0 : 1) + (result.GetResult(mic) is null ? 0 : 1);
            if (sources != 1)
            {
                result.AddError("give exactly one source: --file, --stdin or --mic");
            }

            if (result.GetResult(channels) is not null && result.GetResult(mic) is not null)
            {
                result.AddError("--channels is for --file and --stdin; a microphone is sent in mono");
            }

            if (result.GetValue(loop) && result.GetValue(file) is null or "-")
            {
                result.AddError("--loop needs a file (standard input cannot start again)");
            }

            if (result.GetValue(role) == ParticipantRole.Listener)
            {
                result.AddError("a listener cannot send; use --role broadcaster or speaker");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var opus = new OpusEncoderOptions
            {
                Bitrate = parse.GetValue(bitrate),
                FrameDurationMicros = (int)Math.Round(parse.GetValue(frameMs) * 1000),
                Complexity = parse.GetValue(complexity),
                Application = parse.GetValue(application),
                InbandFec = parse.GetValue(fec),
                ExpectedPacketLossPercent = parse.GetValue(fec) ? 10 : 0,
                Dtx = parse.GetValue(dtx),
            };
            var status = new StatusLine(parse.GetValue(connection.Quiet));
            try
            {
                opus.Validate();
                using var source = OpenSource(parse.GetValue(file), parse.GetValue(stdin), parse.GetResult(mic) is not null, parse.GetValue(mic), parse.GetValue(loop), parse.GetValue(channels));
                var options = connection.ToClientOptions(parse, parse.GetValue(role), new AudioFormat { Codec = parse.GetValue(codec), Channels = source.Channels });
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                if (parse.GetValue(duration) is { } limit)
                {
                    stop.CancelAfter(limit);
                }

                return await RunAsync(options, source, opus, status, stop.Token);
            }
            catch (Exception ex) when (ex is RoomClientException or AudioDeviceException or InvalidDataException or IOException or FormatException or ArgumentException or OpusException or DllNotFoundException)
            {
                status.Finish();
                Console.Error.WriteLine($"wsaudio send: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static IAudioSource OpenSource(string? file, string? stdin, bool useMic, string? micName, bool loop, int channels)
    {
        if (file is "-")
        {
            return PcmStreamSource.OpenWav(Console.OpenStandardInput(), outputChannels: channels);
        }

        if (file is not null)
        {
            var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024);
            try
            {
                return PcmStreamSource.OpenWav(stream, loop, channels);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        if (stdin is not null)
        {
            var (rate, stdinChannels) = PcmStreamSource.ParseFormat(stdin);
            return new PcmStreamSource(Console.OpenStandardInput(), rate, stdinChannels, outputChannels: channels);
        }

        if (!useMic)
        {
            throw new ArgumentException("no source given");
        }

        var device = PortAudio.Find(micName, input: true);
        Console.Error.WriteLine($"capturing from '{device.Name}'");
        return new MicrophoneSource(device);
    }

    private static async Task<int> RunAsync(RoomClientOptions options, IAudioSource source, OpusEncoderOptions opus, StatusLine status, CancellationToken cancellationToken)
    {
        await using var client = new RoomClient(options);
        await client.ConnectAsync(cancellationToken);
        status.Info($"joined {options.Room} at {options.Url} as {client.ParticipantId} ({options.Role.ToString().ToLowerInvariant()}), stream {client.StreamId}");

        var sender = new AudioSender(client, source, opus);
        var level = new Audio.AudioLevel(Audio.AudioLevel.Floor, Audio.AudioLevel.Floor);
        sender.Level += l => level = l;
        var clock = Stopwatch.StartNew();
        // A client that gave up reconnecting (--max-reconnects, --reconnect-timeout) ends the sending.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = client.Completion.ContinueWith(_ => stop.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        var sending = sender.RunAsync(stop.Token);
        TimeSpan? rtt = null;
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        int tick = 0;
        while (!sending.IsCompleted)
        {
            await Task.WhenAny(sending, ticker.WaitForNextTickAsync(CancellationToken.None).AsTask());
            if (tick++ % 8 == 0 && client.State == ConnectionState.Connected)
            {
                rtt = await TryPingAsync(client);
            }

            status.Update($"{clock.Elapsed:hh\\:mm\\:ss} {client.State.ToString().ToLowerInvariant(),-12} sent {client.FramesSent,7} frames  {status.Meter(level)}  rtt {(rtt is { } r ? $"{r.TotalMilliseconds:F1} ms" : "-")}");
        }

        await sending;
        status.Finish();
        if (client.Completion.IsFaulted)
        {
            Console.Error.WriteLine($"wsaudio send: {client.Completion.Exception!.InnerException!.Message}");
            return 1;
        }

        status.Info($"sent {sender.Frames} frames ({sender.Frames * opus.FrameDurationMicros / 1e6:F2} s of audio), {client.FramesNotSent} not sent while disconnected, {client.Reconnects} reconnects");
        return 0;
    }

    private static async Task<TimeSpan?> TryPingAsync(RoomClient client)
    {
        try
        {
            return (await client.PingAsync()).RoundTrip;
        }
        catch (Exception ex) when (ex is RoomClientException or TimeoutException or InvalidOperationException)
        {
            return null;
        }
    }
}
