using System.Diagnostics;

namespace WsAudio.Tests.Support;

/// <summary>The outside tools the tests use as people would (ffmpeg, opusinfo, opusdec), started with their output captured.</summary>
internal static class Tool
{
    public static Process Start(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
    }

    /// <summary>Runs the tool to its end and fails the test when it fails.</summary>
    public static void Run(string program, params string[] arguments)
    {
        using var process = Start(program, arguments);
        _ = process.StandardOutput.ReadToEndAsync();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{program}: {errors}");
    }
}
