using System.Diagnostics;
using WsAudio.Audio;
using WsAudio.Audio.Wav;

namespace WsAudio.Tests.Support;

/// <summary>Real speech for tests, spoken by espeak-ng (installed by ./build.sh test) and cached per test run.</summary>
internal static class Speech
{
    private const string Sentence =
        "WsAudio carries live speech from one speaker to many listeners, and every frame arrives in order.";

    private static readonly Lazy<string> WavPath48k = new(Generate);

    /// <summary>A 48 kHz mono 16-bit WAV of the sentence (about five seconds).</summary>
    public static string Path48k => WavPath48k.Value;

    /// <summary>The same speech as 48 kHz mono samples.</summary>
    public static float[] Samples48k() => WavReader.Read(Path48k).ToMono48k();

    private static string Generate()
    {
        string directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "speech");
        Directory.CreateDirectory(directory);
        string raw = Path.Combine(directory, "espeak.wav");
        string target = Path.Combine(directory, "speech48k.wav");
        if (File.Exists(target))
        {
            return target;
        }

        Run("espeak-ng", "-v", "en-us", "-s", "150", "-w", raw, Sentence);
        var clip = WavReader.Read(raw);
        WavWriter.Write(target, new AudioClip(clip.ToMono48k(), 48000, 1));
        return target;
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {errors}");
        }
    }
}
