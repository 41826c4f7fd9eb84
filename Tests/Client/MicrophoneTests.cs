using System.Text.Json;
using WsAudio.Audio.Wav;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

/// <summary>
/// A real capture path: speech is played into a PulseAudio null sink, and <c>wsaudio send --mic</c> records its
/// monitor through PortAudio and ALSA's pulse device, exactly as it would a microphone.
/// </summary>
public sealed class MicrophoneTests : RelayFixture
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);

    [Test]
    public async Task SendMic_SpeechPlayedIntoTheDevice_ReachesTheListener()
    {
        await using var pulse = await PulseAudioServer.StartAsync();
        string output = Path.Combine(TestContext.CurrentContext.WorkDirectory, "heard-mic.wav");
        string reportPath = Path.Combine(TestContext.CurrentContext.WorkDirectory, "heard-mic.json");
        await using var listen = CliProcess.Start("listen", "--url", Url.ToString(), "--room", "mic", "--out", output, "-y", "--until-offline", "--report", reportPath);
        await listen.WaitForLineAsync("joined");
        await using var send = CliProcess.Start(pulse.Environment, "send", "--url", Url.ToString(), "--room", "mic", "--mic", "pulse");
        await send.WaitForLineAsync("joined");

        await pulse.PlayAsync(Speech.Path48k);
        send.Terminate();

        Assert.That(await send.WaitForExitAsync(Run), Is.Zero, send.Output);
        Assert.That(send.Output, Does.Contain("capturing from 'pulse'"));
        Assert.That(await listen.WaitForExitAsync(Run), Is.Zero, listen.Output);
        float[] spoken = Speech.Samples48k();
        float[] heard = WavReader.Read(output).Samples;
        int lag = AudioCompare.FindLag(spoken, heard, 3 * 48000);
        double correlation = AudioCompare.Correlation(spoken, heard, lag);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(reportPath));
        var stream = report.RootElement.GetProperty("streams").EnumerateArray().Single();
        TestContext.Out.WriteLine($"microphone: lag {lag} samples, correlation {correlation:F3}");

        Assert.That(correlation, Is.GreaterThanOrEqualTo(0.85));
        Assert.That(heard.Length - lag, Is.GreaterThanOrEqualTo(spoken.Length - 4800), "the whole utterance was captured, to within 0.1 s");
        Assert.That(stream.GetProperty("lost").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task Devices_WithPulseAudio_ListsThePulseDevice()
    {
        await using var pulse = await PulseAudioServer.StartAsync();
        await using var devices = CliProcess.Start(pulse.Environment, "devices");

        Assert.That(await devices.WaitForExitAsync(Run), Is.Zero, devices.Output);
        Assert.That(await devices.ReadStandardOutputAsync(), Does.Match(@"(?m)^\s*\d+\s+\d+\s+\d+\s+\d+\s+pulse \(ALSA\)"));
    }

    [Test]
    public async Task Send_OnAMachineWithoutSound_SaysSoInOneLine()
    {
        // No sound server to reach and (on a build machine) no sound card: ALSA and JACK have much to say while
        // PortAudio probes, and none of it is the user's problem.
        var nowhere = new Dictionary<string, string> { ["PULSE_SERVER"] = "unix:/nonexistent/pulse", ["ALSA_CARD"] = "none" };
        await using var send = CliProcess.Start(nowhere, "send", "--url", Url.ToString(), "--room", "no-sound", "--mic", "no such microphone");

        Assert.That(await send.WaitForExitAsync(Run), Is.EqualTo(1), send.Output);
        Assert.Multiple(() =>
        {
            Assert.That(send.Output, Does.Not.Contain("ALSA lib"));
            Assert.That(send.Output.Trim().Split('\n'), Has.Length.EqualTo(1), send.Output);
            Assert.That(send.Output, Does.StartWith("wsaudio send: no microphone matches 'no such microphone'"));
        });
    }
}
