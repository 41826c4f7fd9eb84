using System.Diagnostics;
using WsAudio.Audio;
using WsAudio.Audio.Wav;

namespace WsAudio.Tests.Support;

/// <summary>Real speech for tests, spoken by espeak-ng (installed by ./build.sh test) and cached per test run.</summary>
internal static class Speech
{
    private const string Sentence =
        "WsAudio carries live speech from one speaker to many listeners, and every frame arrives in order.";

    private const string OtherSentence =
        "A second voice reads the weather: light rain in the morning, then sunshine until the evening.";

    private static readonly Lazy<string> WavPath48k = new(Generate);
    private static readonly Lazy<string> OtherWavPath48k = new(() => Generate("en-us+f3", OtherSentence, "other48k.wav"));
    private static readonly Lazy<string> OggPath = new(EncodeOgg);

    /// <summary>A 48 kHz mono 16-bit WAV of the sentence (about five seconds).</summary>
    public static string Path48k => WavPath48k.Value;

    /// <summary>Another voice saying another sentence (about five seconds), for rooms with two speakers.</summary>
    public static string OtherPath48k => OtherWavPath48k.Value;

    /// <summary>The same speech as 48 kHz mono samples.</summary>
    public static float[] Samples48k() => WavReader.Read(Path48k).ToMono48k();

    /// <summary>
    /// The speech as an Ogg Opus file made by ffmpeg (mono, one 20 ms packet per page, title "Speech test"), as a
    /// source tool would send it.
    /// </summary>
    public static string OggOpusPath => OggPath.Value;

    private static string EncodeOgg()
    {
        string target = Path.Combine(Path.GetDirectoryName(Path48k)!, "speech.opus");
        if (!File.Exists(target))
        {
            Run("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", Path48k, "-c:a", "libopus", "-page_duration", "20000",
                "-metadata", "title=Speech test", "-y", target);
        }

        return target;
    }

    private static string Generate() => Generate("en-us", Sentence, "speech48k.wav");

    private static string Generate(string voice, string sentence, string name)
    {
        string directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "speech");
        Directory.CreateDirectory(directory);
        string raw = Path.Combine(directory, $"espeak-{name}");
        string target = Path.Combine(directory, name);
        if (File.Exists(target))
        {
            return target;
        }

        Run("espeak-ng", "-v", voice, "-s", "150", "-w", raw, sentence);
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
