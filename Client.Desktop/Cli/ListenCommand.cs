using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using WsAudio.Audio;
using WsAudio.Client.Connection;
using WsAudio.Client.Devices;
using WsAudio.Client.Playback;
using WsAudio.Protocol;

namespace WsAudio.Cli;

/// <summary><c>wsaudio listen</c>: hear a room on a speaker, record it to WAV, or pipe it as raw PCM.</summary>
internal static class ListenCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var output = new Option<FileInfo?>("--out") { Description = "Record to this WAV file (48 kHz mono 16-bit), starting with the first sound heard; '-' writes the WAV to standard output" };
        var stdout = new Option<bool>("--stdout") { Description = "Write raw PCM (s16le, 48000 Hz, mono) to standard output" };
        var speaker = CommonOptions.OptionalValue("--speaker", "Play on a speaker: the default one, or an index or part of a name from 'wsaudio devices'");
        var duration = Duration.Option("--duration", $"Stop after this long: {Duration.Forms}");
        var untilOffline = new Option<bool>("--until-offline") { Description = "Stop when the room has no live stream any more, after one was live" };
        var delay = new Option<int?>("--delay-ms") { Description = "Playout delay that absorbs network jitter (default 150 ms; 1000 ms with --out)" };
        var report = new Option<FileInfo?>("--report") { Description = "Write per-stream frame statistics as JSON to this file" };
        var overwrite = new Option<bool>("--overwrite", "-y") { Description = "Replace the --out file if it exists (as ffmpeg's -y)" };

        var command = new Command("listen", "Hear a room: all its senders mixed")
        {
            output, stdout, speaker, duration, untilOffline, delay, report, overwrite,
        };
        connection.AddTo(command);
        command.Validators.Add(result =>
        {
            int sinks = (result.GetResult(output) is null ? 0 : 1) + (result.GetValue(stdout) ? 1 : 0) + (result.GetResult(speaker) is null ? 0 : 1);
            if (sinks != 1)
            {
                result.AddError("give exactly one output: --out, --stdout or --speaker");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var status = new StatusLine(parse.GetValue(connection.Quiet));
            var file = parse.GetValue(output);
            bool wavToStdout = file?.ToString() == "-";
            if (wavToStdout)
            {
                file = null;
            }

            // Nothing is truncated before anything is heard: an existing file is replaced only when asked.
            if (file is { Exists: true } && !parse.GetValue(overwrite))
            {
                Console.Error.WriteLine($"wsaudio listen: {file.Name} exists; add -y (--overwrite) to replace it");
                return 2;
            }

            try
            {
                IAudioSink sink = file is not null
                    ? new WavFileSink(file.FullName)
                    : wavToStdout
                        ? new WavFileSink(StandardOutput.OpenBinary())
                    : parse.GetValue(stdout)
                        ? new PcmStreamSink(StandardOutput.OpenBinary())
                        : new SpeakerSink(PortAudio.Find(parse.GetValue(speaker), input: false));
                var options = connection.ToClientOptions(parse, ParticipantRole.Listener);
                var playoutDelay = TimeSpan.FromMilliseconds(parse.GetValue(delay) ?? (file is null && !wavToStdout ? 150 : 1000));
                return await RunAsync(options, sink, playoutDelay, parse.GetValue(duration), parse.GetValue(untilOffline), parse.GetValue(report), status, cancellationToken);
            }
            catch (Exception ex) when (ex is RoomClientException or AudioDeviceException or IOException or UnauthorizedAccessException or DllNotFoundException)
            {
                status.Finish();
                Console.Error.WriteLine($"wsaudio listen: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        RoomClientOptions options,
        IAudioSink sink,
        TimeSpan playoutDelay,
        TimeSpan? duration,
        bool untilOffline,
        FileInfo? reportFile,
        StatusLine status,
        CancellationToken cancellationToken)
    {
        var recording = new CountingSink(sink);
        await using var client = new RoomClient(options);
        var offline = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool wasLive = false;
        client.StreamStarted += (_, _) => wasLive = true;
        client.StreamStopped += (_, _) =>
        {
            if (wasLive && client.LiveStreams.Count == 0)
            {
                offline.TrySetResult();
            }
        };

        await client.ConnectAsync(cancellationToken);
        wasLive |= client.LiveStreams.Count > 0;
        status.Info($"joined {options.Room} at {options.Url} as {client.ParticipantId}; {client.Participants.Count} participants, {client.LiveStreams.Count} live");

        var player = new RoomPlayer(client, recording, playoutDelay, recording: sink is WavFileSink);
        var level = new AudioLevel(AudioLevel.Floor, AudioLevel.Floor);
        player.Level += l => level = l;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } limit)
        {
            stop.CancelAfter(limit);
        }

        var finished = Task.WhenAny(
            player.SinkClosed,
            Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default),
            untilOffline ? offline.Task : Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default),
            client.Completion.ContinueWith(_ => { }, TaskScheduler.Default));
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (!finished.IsCompleted)
        {
            await Task.WhenAny(finished, ticker.WaitForNextTickAsync(CancellationToken.None).AsTask());
            long heard = player.Streams.Sum(s => s.Received);
            status.Update($"{clock.Elapsed:hh\\:mm\\:ss} {client.State.ToString().ToLowerInvariant(),-12} {client.LiveStreams.Count} live  heard {heard,7} frames  {status.Meter(level)}");
        }

        await player.DisposeAsync();
        status.Finish();
        if (player.SinkClosed.IsCompleted)
        {
            // As ffmpeg: a reader that stops reading (| head) ends the program, and that is not a failure.
            Console.Error.WriteLine("wsaudio listen: the output's reader went away; stopping");
            return 0;
        }

        var streams = player.Streams;
        status.Info(
            $"heard {streams.Count} streams: {streams.Sum(s => s.Received)} frames, {streams.Sum(s => s.Lost)} lost, " +
            $"{streams.Sum(s => s.Late)} late, {streams.Sum(s => s.Duplicates)} duplicates; {recording.Samples / 48000.0:F2} s written");
        if (reportFile is not null)
        {
            var report = new ListenReport(recording.Samples / 48000.0, recording.Samples, streams);
            await File.WriteAllTextAsync(reportFile.FullName, JsonSerializer.Serialize(report, CliJsonContext.Default.ListenReport), CancellationToken.None);
        }

        if (client.Completion.IsFaulted)
        {
            Console.Error.WriteLine($"wsaudio listen: {client.Completion.Exception!.InnerException!.Message}");
            return 1;
        }

        return 0;
    }
}
