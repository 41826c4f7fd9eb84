using System.Buffers.Binary;
using System.CommandLine;
using WsAudio.Audio.Wav;
using WsAudio.Client.Connection;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;

namespace WsAudio.Cli;

/// <summary>
/// <c>wsaudio tap</c>: a room's speech decoded by the server, for a speech recognizer: the mix as raw PCM on standard
/// output (<c>wsaudio tap … --stdout | asr-engine</c>), or one WAV per speaker in a folder, all on one timeline.
/// </summary>
internal static class TapCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var rate = new Option<int>("--rate") { Description = "Sample rate of what is received: 8000, 16000, 24000 or 48000 Hz", DefaultValueFactory = _ => 16000 };
        var perSpeaker = new Option<bool>("--per-speaker") { Description = "Each speaker apart, one WAV each (needs --out-dir); otherwise the room's mix" };
        var stdout = new Option<bool>("--stdout") { Description = "Write the mix as raw PCM (s16le, mono, --rate Hz) to standard output" };
        var outDir = new Option<DirectoryInfo?>("--out-dir") { Description = "Write WAV files here: one per speaker with --per-speaker, else mix.wav" };
        var duration = Duration.Option("--duration", $"Stop after this long: {Duration.Forms}");
        var command = new Command("tap", "Receive a room's speech as PCM for speech recognition (token grant tap)")
        {
            rate, perSpeaker, stdout, outDir, duration,
        };
        connection.AddTo(command);
        command.Validators.Add(result =>
        {
            bool toStdout = result.GetValue(stdout);
            bool toFolder = result.GetResult(outDir) is not null;
            if (toStdout == toFolder)
            {
                result.AddError("give exactly one output: --stdout or --out-dir");
            }
            else if (toStdout && result.GetValue(perSpeaker))
            {
                result.AddError("--per-speaker gives several streams: write them with --out-dir");
            }
        });

        // On the option, not the command: a command's validator does not see the default when --rate is left out.
        rate.Validators.Add(result =>
        {
            if (!AudioFormat.TapSampleRates.Contains(result.GetValueOrDefault<int>()))
            {
                result.AddError($"--rate must be one of {string.Join(", ", AudioFormat.TapSampleRates)}");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            int sampleRate = parse.GetValue(rate);
            var mode = parse.GetValue(perSpeaker) ? TapMode.PerSpeaker : TapMode.Mix;
            var options = connection.ToClientOptions(parse, ParticipantRole.Tap, new AudioFormat { Codec = AudioCodec.Pcm16, SampleRate = sampleRate, Channels = 1 }) with { TapMode = mode };
            try
            {
                using var output = parse.GetValue(stdout)
                    ? TapOutput.ToStream(StandardOutput.OpenBinary())
                    : TapOutput.ToFolder(parse.GetValue(outDir)!.FullName, sampleRate);
                return await RunAsync(options, output, parse.GetValue(duration), new StatusLine(parse.GetValue(connection.Quiet)), cancellationToken);
            }
            catch (Exception ex) when (ex is RoomClientException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"wsaudio tap: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(RoomClientOptions options, TapOutput output, TimeSpan? duration, StatusLine status, CancellationToken cancellationToken)
    {
        await using var client = new RoomClient(options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var names = new Dictionary<uint, string>();
        client.StreamStarted += (_, m) =>
        {
            string who = string.IsNullOrEmpty(m.Name) ? m.ParticipantId : m.Name;
            lock (names)
            {
                names[m.StreamId] = m.StreamId == 0 ? "mix" : who;
            }

            status.Info(m.StreamId == 0 ? "mix started" : $"{who} ({m.ParticipantId}) started speaking, stream {m.StreamId}");
        };
        client.StreamStopped += (_, m) => status.Info($"stream {m.StreamId} stopped ({m.Reason.ToString().ToLowerInvariant()})");
        client.AudioReceived += (in AudioFrameHeader header, ReadOnlySpan<byte> payload) =>
        {
            if (header.Codec != AudioCodec.Pcm16)
            {
                return;
            }

            string name;
            lock (names)
            {
                name = names.GetValueOrDefault(header.StreamId, header.StreamId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            // A reader that went away (the pipe's other end closed) ends the tap, as it ends ffmpeg: that is not a failure.
            if (!output.Write(header.StreamId, name, payload))
            {
                stop.Cancel();
            }
        };

        await client.ConnectAsync(cancellationToken);
        status.Info($"tapping {options.Room} at {options.Url}: {options.TapMode.ToString().ToLowerInvariant()}, {options.Format.SampleRate} Hz");
        if (duration is { } limit)
        {
            stop.CancelAfter(limit);
        }

        await Task.WhenAny(Task.Delay(Timeout.Infinite, stop.Token), client.Completion).ContinueWith(_ => { }, TaskScheduler.Default);
        if (client.Completion.IsFaulted)
        {
            Console.Error.WriteLine($"wsaudio tap: {client.Completion.Exception!.InnerException!.Message}");
            return 1;
        }

        return 0;
    }

    /// <summary>Where the tap's audio goes: a byte stream (the mix), or a WAV per stream on a timeline shared by all.</summary>
    private sealed class TapOutput : IDisposable
    {
        private readonly Stream? _stream;
        private readonly string? _folder;
        private readonly int _sampleRate;
        private readonly Dictionary<uint, (WavWriter Writer, long Written)> _files = [];
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private float[] _samples = new float[960];

        private TapOutput(Stream? stream, string? folder, int sampleRate)
        {
            _stream = stream;
            _folder = folder;
            _sampleRate = sampleRate;
        }

        public static TapOutput ToStream(Stream stream) => new(stream, null, 0);

        public static TapOutput ToFolder(string folder, int sampleRate)
        {
            Directory.CreateDirectory(folder);
            return new TapOutput(null, folder, sampleRate);
        }

        /// <summary>Returns false when the reader of the stream has gone.</summary>
        public bool Write(uint streamId, string name, ReadOnlySpan<byte> payload)
        {
            if (_stream is not null)
            {
                try
                {
                    _stream.Write(payload);
                    _stream.Flush();
                    return true;
                }
                catch (IOException)
                {
                    return false;
                }
            }

            if (!_files.TryGetValue(streamId, out var file))
            {
                string safe = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
                var writer = new WavWriter(File.Create(Path.Combine(_folder!, $"{safe}-{streamId}.wav")), _sampleRate, 1);
                file = (writer, 0);
            }

            // Every file starts when the tap did: a speaker who comes in later, or again, starts after silence.
            long now = (long)(_clock.Elapsed.TotalSeconds * _sampleRate);
            int count = payload.Length / 2;
            if (now - count > file.Written + (_sampleRate / 10))
            {
                file.Writer.Write(new float[now - count - file.Written]);
                file.Written = now - count;
            }

            if (_samples.Length < count)
            {
                _samples = new float[count];
            }

            for (int i = 0; i < count; i++)
            {
                _samples[i] = BinaryPrimitives.ReadInt16LittleEndian(payload[(2 * i)..]) / 32768f;
            }

            file.Writer.Write(_samples.AsSpan(0, count));
            _files[streamId] = (file.Writer, file.Written + count);
            return true;
        }

        public void Dispose()
        {
            _stream?.Flush();
            foreach (var (writer, _) in _files.Values)
            {
                writer.Dispose();
            }
        }
    }
}
