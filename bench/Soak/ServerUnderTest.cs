using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WsAudio.Bench.Soak;

/// <summary>A Release WsAudio server in its own process: its resident memory, its metrics, and what it logged.</summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerUnderTest(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri WebSocketUri => new($"ws://127.0.0.1:{Port}/ws");

    public bool HasExited => _process.HasExited;

    public IEnumerable<string> Output => _output;

    public static async Task<ServerUnderTest> StartAsync(string serverDll, int? openFileLimit, params string[] arguments)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        string[] server = [serverDll, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), .. arguments];
        var start = openFileLimit is { } limit
            ? new ProcessStartInfo("bash", ["-c", $"ulimit -n {limit} && exec dotnet \"$@\"", "bash", .. server])
            : new ProcessStartInfo("dotnet", server);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var instance = new ServerUnderTest(Process.Start(start)!, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (int i = 0; i < 100 && !instance.HasExited; i++)
        {
            try
            {
                await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
                return instance;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("the server did not start:\n" + string.Join('\n', instance.Output));
    }

    /// <summary>Resident memory, MB (VmRSS).</summary>
    public double ResidentMegabytes()
    {
        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    public async Task<double> MetricAsync(string name)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{Port}/metrics"));
        return double.Parse(metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Log entries at error level or worse, and unhandled exceptions: what escaped the server's handling.</summary>
    public int EscapedExceptions() => _output.Count(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal) || l.Contains("Unhandled exception", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null && _output.Count < 100_000)
        {
            _output.Enqueue(line);
        }
    }
}
