using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WsAudio.Tests.Support;

/// <summary>A real nats-server (Debian's, installed by ./build.sh test) on 127.0.0.1, which can be stopped and started again.</summary>
internal sealed class NatsServer : IAsyncDisposable
{
    private Process? _process;

    private NatsServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public static async Task<NatsServer> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new NatsServer(port);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server process (again), waiting until it says it is ready.</summary>
    public async Task RestartAsync() =>
        _process = await ChildProcess.StartAsync("nats-server", ["-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], "Server is ready");

    /// <summary>Kills the server, as a crash would.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
