using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WsAudio.Tests.Support;

/// <summary>A WsAudio server in a process of its own, so that a test can kill it outright, signal it or limit it.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ServerProcess(Process process, int port, ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
        Port = port;
        HttpUri = new Uri($"http://127.0.0.1:{port}/");
        WebSocketUri = new Uri($"ws://127.0.0.1:{port}/ws");
    }

    public int Port { get; }

    public Uri HttpUri { get; }

    public Uri WebSocketUri { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the server has written (console log) so far.</summary>
    public string Output => string.Join('\n', _output);

    public static Task<ServerProcess> StartAsync(params string[] arguments) => StartAsync(FreePort(), openFileLimit: null, arguments);

    /// <summary>
    /// Starts a server on <paramref name="port"/> (0: a free one); with <paramref name="openFileLimit"/>, under that
    /// <c>ulimit -n</c> (soft and hard), as a small container or a default systemd unit would run it.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(int port, int? openFileLimit, params string[] arguments)
    {
        port = port == 0 ? FreePort() : port;
        return await LaunchAsync(port, openFileLimit is { } limit ? $"ulimit -n {limit}" : null, arguments);
    }

    /// <summary>
    /// Starts a server on a free port under the shell's <paramref name="limits"/> (e.g. <c>ulimit -f 8</c>), set
    /// before the server is exec'd.
    /// </summary>
    public static Task<ServerProcess> StartLimitedAsync(string limits, params string[] arguments) => LaunchAsync(FreePort(), limits, arguments);

    private static async Task<ServerProcess> LaunchAsync(int port, string? limits, string[] arguments)
    {
        string[] server = [Path.Combine(AppContext.BaseDirectory, "WsAudio.Server.dll"), "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), .. arguments];
        var output = new ConcurrentQueue<string>();
        var process = limits is not null
            ? await ChildProcess.StartAsync("bash", ["-c", $"{limits} && exec dotnet \"$@\"", "bash", .. server], "WsAudio listening on", output: output)
            : await ChildProcess.StartAsync("dotnet", server, "WsAudio listening on", output: output);
        return new ServerProcess(process, port, output);
    }

    /// <summary>Ends the process at once (SIGKILL): no close frames, no leave events, as a crash would.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Asks the server to stop as a service manager would (SIGTERM).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>
    /// Freezes the whole process for <paramref name="length"/> (SIGSTOP, then SIGCONT), as a long GC pause or a
    /// starved machine would: no thread runs, the sockets fill.
    /// </summary>
    public async Task FreezeAsync(TimeSpan length)
    {
        Signal("-STOP");
        try
        {
            // The fault's length, not a wait for something to happen.
            await Task.Delay(length);
        }
        finally
        {
            Signal("-CONT");
        }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to end; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Timeouts.Event);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
