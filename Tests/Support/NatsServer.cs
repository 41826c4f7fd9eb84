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
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo("nats-server") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in new[] { "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nats-server");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        DataReceivedEventHandler watch = (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"nats-server exited: {string.Join('\n', log)}"));
                return;
            }

            log.Enqueue(e.Data);
            if (e.Data.Contains("Server is ready", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += watch;
        process.OutputDataReceived += watch;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        await ready.Task.WaitAsync(Timeouts.Event);
    }

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
