using System.Collections.Concurrent;
using System.Diagnostics;

namespace WsAudio.Tests.Support;

/// <summary>Starts a helper program (nats-server, pulseaudio, a server node) and waits until it says it is ready.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Starts <paramref name="program"/> and returns once a line of its output contains <paramref name="readyText"/>;
    /// fails with what it printed if it exits first or stays silent past <see cref="Timeouts.Event"/>.
    /// </summary>
    /// <param name="output">Receives every line the program writes, before and after it is ready.</param>
    public static async Task<Process> StartAsync(string program, IEnumerable<string> arguments, string readyText, IReadOnlyDictionary<string, string>? environment = null, ConcurrentQueue<string>? output = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new ConcurrentQueue<string>();
        DataReceivedEventHandler watch = (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"{program} exited before it was ready:\n{string.Join('\n', log)}"));
                return;
            }

            log.Enqueue(e.Data);
            output?.Enqueue(e.Data);
            if (e.Data.Contains(readyText, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += watch;
        process.ErrorDataReceived += watch;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(Timeouts.Event);
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
            throw;
        }

        return process;
    }
}
