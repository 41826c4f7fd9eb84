using System.Diagnostics;

namespace WsAudio.Bench.Browser;

/// <summary>`wsaudio bot` sending <c>speakers</c> real Opus streams into one room; killed when disposed.</summary>
internal sealed class Bot : IDisposable
{
    private readonly Process _process;

    private Bot(Process process) => _process = process;

    public static Bot Start(string cliDll, int port, string room, int speakers, int seconds)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        foreach (string arg in new[]
        {
            cliDll, "bot", "--url", $"ws://127.0.0.1:{port}/ws", "--rooms", "1", "--speakers", speakers.ToString(), "--listeners", "0",
            "--room-prefix", room, "--duration", seconds.ToString(), "--ramp-up", "0", "--quiet",
        })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("the bot did not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return new Bot(process);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
