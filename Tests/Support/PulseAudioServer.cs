using System.Diagnostics;

namespace WsAudio.Tests.Support;

/// <summary>
/// A private PulseAudio daemon with a 48 kHz mono null sink named <see cref="Sink"/>. What is played into the sink
/// can be recorded from its monitor, the default source, through ALSA's "pulse" device: a microphone for tests.
/// </summary>
internal sealed class PulseAudioServer : IAsyncDisposable
{
    public const string Sink = "wsaudio_mic";
    private readonly Process _daemon;
    private readonly string _directory;

    private PulseAudioServer(Process daemon, string directory)
    {
        _daemon = daemon;
        _directory = directory;
        Environment = new Dictionary<string, string> { ["PULSE_SERVER"] = $"unix:{Path.Combine(directory, "native")}" };
    }

    /// <summary>Variables that point PulseAudio clients (paplay, ALSA's pulse plugin) at this daemon.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public static async Task<PulseAudioServer> StartAsync()
    {
        string directory = Directory.CreateTempSubdirectory("wsaudio-pulse-").FullName;
        string[] arguments =
        [
            "--daemonize=no", "-n", "--exit-idle-time=-1", "--use-pid-file=no", "--log-target=stderr", "--log-level=info",
            $"--load=module-native-protocol-unix socket={Path.Combine(directory, "native")} auth-anonymous=1",
            $"--load=module-null-sink sink_name={Sink} rate=48000 channels=1",
        ];
        var environment = new Dictionary<string, string> { ["PULSE_RUNTIME_PATH"] = directory, ["PULSE_STATE_PATH"] = directory };
        var daemon = await ChildProcess.StartAsync("pulseaudio", arguments, "Daemon startup complete", environment);
        var server = new PulseAudioServer(daemon, directory);
        try
        {
            await server.RunAsync("pactl", "set-default-source", $"{Sink}.monitor");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Plays a file into the sink and waits until it has been played.</summary>
    public Task PlayAsync(string wavPath) => RunAsync("paplay", $"--device={Sink}", wavPath);

    public async ValueTask DisposeAsync()
    {
        if (!_daemon.HasExited)
        {
            _daemon.Kill();
            await _daemon.WaitForExitAsync();
        }

        _daemon.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {errors}");
        }
    }
}
