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
        string[] command = [Path.Combine(AppContext.BaseDirectory, "WsAudio.Server.dll"), "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments];
        var process = await ChildProcess.StartAsync("dotnet", command, "WsAudio listening on");
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
