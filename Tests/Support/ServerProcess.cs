using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WsAudio.Tests.Support;

/// <summary>A WsAudio server in a process of its own, so that a test can kill it outright.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        HttpUri = new Uri($"http://127.0.0.1:{port}/");
        WebSocketUri = new Uri($"ws://127.0.0.1:{port}/ws");
    }

    public Uri HttpUri { get; }

    public Uri WebSocketUri { get; }

    public static async Task<ServerProcess> StartAsync(params string[] arguments)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])[Path.Combine(AppContext.BaseDirectory, "WsAudio.Server.dll"), "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("WsAudio listening on", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
            else if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("the server exited before it was ready"));
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(Timeouts.Event);
        return new ServerProcess(process, port);
    }

    /// <summary>Ends the process at once (SIGKILL): no close frames, no leave events, as a crash would.</summary>
    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
