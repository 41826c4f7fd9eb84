using System.Text.Json;
using WsAudio.Audio.Wav;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

/// <summary>Speech goes in with <c>wsaudio send</c>, through a real server, and comes out of <c>wsaudio listen</c>.</summary>
public sealed class SendListenTests : RelayFixture
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);

    [TestCase("opus")]
    [TestCase("pcm16")]
    public async Task SendFile_ToListener_RecordsTheSameSpeech(string codec)
    {
        string output = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"heard-{codec}.wav");
        string reportPath = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"heard-{codec}.json");
        string room = $"cli-{codec}";
        await using var listen = CliProcess.Start("listen", "--url", Url.ToString(), "--room", room, "--out", output, "-y", "--until-offline", "--report", reportPath);
        await listen.WaitForLineAsync("joined");

        await using var send = CliProcess.Start("send", "--url", Url.ToString(), "--room", room, "--file", Speech.Path48k, "--codec", codec);
        Assert.That(await send.WaitForExitAsync(Run), Is.Zero, send.Output);
        Assert.That(await listen.WaitForExitAsync(Run), Is.Zero, listen.Output);

        float[] sent = Speech.Samples48k();
        float[] heard = WavReader.Read(output).Samples;
        int lag = AudioCompare.FindLag(sent, heard, 4800);
        double correlation = AudioCompare.Correlation(sent, heard, lag);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(reportPath));
        var stream = report.RootElement.GetProperty("streams").EnumerateArray().Single();
        int frames = (sent.Length + 959) / 960;
        TestContext.Out.WriteLine($"{codec}: lag {lag}, correlation {correlation:F4}, {heard.Length} samples heard for {sent.Length} sent");

        Assert.Multiple(() =>
        {
            Assert.That(correlation, Is.GreaterThanOrEqualTo(codec == "opus" ? 0.9 : 0.999));
            Assert.That(Math.Abs(heard.Length - sent.Length), Is.LessThanOrEqualTo(960), "duration within one 20 ms frame");
            Assert.That(stream.GetProperty("received").GetInt64(), Is.EqualTo(frames), "every frame arrived");
            Assert.That(stream.GetProperty("lost").GetInt64(), Is.Zero);
            Assert.That(stream.GetProperty("duplicates").GetInt64(), Is.Zero);
            Assert.That(stream.GetProperty("late").GetInt64(), Is.Zero);
        });
    }

    [Test]
    public async Task Listen_TwoSpeakers_MixesBoth()
    {
        string output = Path.Combine(TestContext.CurrentContext.WorkDirectory, "mixed.wav");
        string reportPath = Path.Combine(TestContext.CurrentContext.WorkDirectory, "mixed.json");
        await using var listen = CliProcess.Start("listen", "--url", Url.ToString(), "--room", "cli-mix", "--out", output, "-y", "--until-offline", "--report", reportPath);
        await listen.WaitForLineAsync("joined");

        await using var first = CliProcess.Start("send", "--url", Url.ToString(), "--room", "cli-mix", "--file", Speech.Path48k, "--role", "speaker");
        await first.WaitForLineAsync("joined");
        await using var second = CliProcess.Start("send", "--url", Url.ToString(), "--room", "cli-mix", "--file", Speech.Path48k, "--role", "speaker", "--codec", "pcm16");
        Assert.That(await first.WaitForExitAsync(Run), Is.Zero, first.Output);
        Assert.That(await second.WaitForExitAsync(Run), Is.Zero, second.Output);
        Assert.That(await listen.WaitForExitAsync(Run), Is.Zero, listen.Output);

        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(reportPath));
        var streams = report.RootElement.GetProperty("streams").EnumerateArray().ToList();
        Assert.That(streams, Has.Count.EqualTo(2));
        Assert.That(streams.Select(s => s.GetProperty("lost").GetInt64()), Is.All.Zero);
        float[] heard = WavReader.Read(output).Samples;
        Assert.That(heard.Length, Is.GreaterThan(Speech.Samples48k().Length), "the second speaker started later, so the mix is longer than one");
    }

    [Test]
    public async Task Send_MissingFile_FailsWithAClearMessage()
    {
        await using var send = CliProcess.Start("send", "--url", Url.ToString(), "--room", "cli-err", "--file", "/nonexistent/speech.wav");

        Assert.That(await send.WaitForExitAsync(Run), Is.EqualTo(1));
        Assert.That(send.Output, Does.Contain("speech.wav"));
    }

    [Test]
    public async Task Send_NoSource_IsAUsageError()
    {
        await using var send = CliProcess.Start("send", "--room", "x");

        Assert.That(await send.WaitForExitAsync(Run), Is.EqualTo(2));
        Assert.Multiple(async () =>
        {
            Assert.That(send.Output, Does.StartWith("wsaudio send: give exactly one source"));
            Assert.That(await send.ReadStandardOutputAsync(), Is.Empty, "standard output may be a pipe: no help text there");
        });
    }

    [Test]
    public async Task Send_ToAnUnreachableServer_FailsWithAClearMessage()
    {
        await using var send = CliProcess.Start("send", "--url", "ws://127.0.0.1:1/ws", "--room", "x", "--file", Speech.Path48k);

        Assert.That(await send.WaitForExitAsync(Run), Is.EqualTo(1));
        Assert.That(send.Output, Does.Contain("could not join x at ws://127.0.0.1:1/ws"));
    }
}
