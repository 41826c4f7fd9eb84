using System.Diagnostics;
using System.Threading.Channels;

namespace WsAudio.Tests.Support;

/// <summary>The real <c>wsaudio</c> tool as a child process, with its standard error readable line by line.</summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = [];

    private CliProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
                return;
            }

            lock (_all)
            {
                _all.Add(e.Data);
            }

            _lines.Writer.TryWrite(e.Data);
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the tool wrote to standard error so far.</summary>
    public string Output
    {
        get
        {
            lock (_all)
            {
                return string.Join('\n', _all);
            }
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static CliProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "wsaudio.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new CliProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start wsaudio"));
    }

    public static CliProcess Start(params string[] arguments) => Start(null, arguments);

    /// <summary>Waits for a line of standard error containing <paramref name="text"/>.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Timeouts.Event);
        try
        {
            await foreach (string line in _lines.Reader.ReadAllAsync(cancel.Token))
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Fail($"wsaudio never printed '{text}'; it printed:\n{Output}");
    }

    /// <summary>The tool's standard output as bytes, for tools that write raw audio there.</summary>
    public Stream StandardOutputBytes => _process.StandardOutput.BaseStream;

    /// <summary>Everything the tool writes to standard output, once it has exited.</summary>
    public Task<string> ReadStandardOutputAsync() => _process.StandardOutput.ReadToEndAsync();

    /// <summary>Waits for the tool to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"wsaudio did not exit within {timeout.TotalSeconds} s; it printed:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>The tool's standard input, for tools that read audio from it.</summary>
    public Stream StandardInputBytes => _process.StandardInput.BaseStream;

    /// <summary>Presses Ctrl+C in the tool's terminal (SIGINT).</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Asks the tool to stop as a service manager would (SIGTERM).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
