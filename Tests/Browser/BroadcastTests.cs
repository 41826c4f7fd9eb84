using System.Text.Json;
using Microsoft.Playwright;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>A broadcast from a browser's microphone to a browser listener, as people would use the pages.</summary>
public sealed class BroadcastTests : BrowserFixture
{
    // The browser's voice processing (noise suppression, gain control) reshapes the signal before WsAudio sees it,
    // so only with it off does the comparison measure WsAudio's own path.
    [TestCase(false, 0.8)]
    [TestCase(true, 0.5)]
    public async Task Broadcast_ToListenPage_GoesLiveByItselfAndTheListenerHearsTheSpeech(bool voiceProcessing, double minimumCorrelation)
    {
        var listener = await OpenAsync("/listen/radio");
        await Assertions.Expect(listener.Locator("#state")).ToHaveTextAsync("Connected");
        await Assertions.Expect(listener.Locator("#badge")).ToHaveTextAsync("OFFLINE");
        await ScreenshotAsync(listener, "listen-offline");
        var broadcaster = await OpenAsync("/broadcast/radio");
        await Assertions.Expect(broadcaster.Locator("#toggle")).ToBeEnabledAsync();
        await Assertions.Expect(broadcaster.Locator("#listeners")).ToHaveTextAsync("1 listener");
        await broadcaster.Locator("#processing").SetCheckedAsync(voiceProcessing);
        await listener.EvaluateAsync("() => window.wsaudioRoom.startRecording()");

        await broadcaster.Locator("#toggle").ClickAsync();

        await Assertions.Expect(listener.Locator("#badge")).ToHaveTextAsync("LIVE");
        await Assertions.Expect(broadcaster.Locator("#badge")).ToHaveTextAsync("ON AIR");
        var late = await OpenAsync("/listen/radio");
        await Assertions.Expect(late.Locator("#badge")).ToHaveTextAsync("LIVE");
        await WaitForRoomAsync(late, "room.getStats().streams[0]?.liveToFirstAudioMs !== undefined");
        double joinToFirstAudio = await late.EvaluateAsync<double>("() => window.wsaudioRoom.getStats().streams[0].liveToFirstAudioMs");
        await WaitForRoomAsync(listener, "room.getStats().streams[0]?.received >= 300");
        await ScreenshotAsync(listener, "listen-live");
        await ScreenshotAsync(broadcaster, "broadcast-on-air");
        float[] heard = await StopRecordingAsync(listener);
        string statsJson = await listener.EvaluateAsync<string>("() => JSON.stringify(window.wsaudioRoom.getStats())");

        await broadcaster.Locator("#toggle").ClickAsync();
        await Assertions.Expect(listener.Locator("#badge")).ToHaveTextAsync("OFFLINE");
        await ScreenshotAsync(listener, "listen-offline-again");

        // The fake microphone loops the speech; find where in the loop a two-second stretch of what was heard sits.
        float[] speech = Speech.Samples48k();
        float[] loop = [.. speech, .. speech];
        float[] window = heard.AsSpan(heard.Length - (3 * 48000), 2 * 48000).ToArray();
        int offset = AudioCompare.FindLag(window, loop, loop.Length - window.Length);
        double correlation = AudioCompare.Correlation(window, loop, offset);
        using var stats = JsonDocument.Parse(statsJson);
        var stream = stats.RootElement.GetProperty("streams")[0];
        var latencies = stream.GetProperty("latencySamples").EnumerateArray().Select(e => e.GetDouble()).Order().ToArray();
        TestContext.Out.WriteLine(
            $"correlation {correlation:F3}; capture->playout median {stream.GetProperty("latencyMs").GetDouble():F1} ms, " +
            $"p95 {latencies[(int)(latencies.Length * 0.95)]:F1} ms over {latencies.Length} frames; LIVE->first audio " +
            $"{stream.GetProperty("liveToFirstAudioMs").GetDouble():F1} ms; joining a live room -> first audio {joinToFirstAudio:F1} ms; jitter buffer {stream.GetProperty("jitterBufferMs").GetDouble()} ms, " +
            $"target {stream.GetProperty("targetDelayMs").GetDouble()} ms, underruns {stream.GetProperty("underruns").GetInt32()}, concealed {stream.GetProperty("concealed").GetInt32()}");

        Assert.Multiple(() =>
        {
            Assert.That(correlation, Is.GreaterThanOrEqualTo(minimumCorrelation));
            Assert.That(stream.GetProperty("latencyMs").GetDouble(), Is.GreaterThan(0).And.LessThan(1000), "capture-to-playout latency is reported");
            Assert.That(stream.GetProperty("liveToFirstAudioMs").GetDouble(), Is.GreaterThanOrEqualTo(0), "time to first audio is reported");
            Assert.That(joinToFirstAudio, Is.GreaterThanOrEqualTo(0), "and for a listener who joins while live");
            Assert.That(stats.RootElement.GetProperty("rttMs").GetDouble(), Is.GreaterThan(0), "round trip is measured");
        });
    }

    [Test]
    public async Task Listen_WithAutoplayBlocked_OffersAButtonThatStartsPlayback()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var strict = await LaunchAsync(playwright, autoplayAllowed: false);
        var listener = await OpenAsync("/listen/blocked", strict);
        await Assertions.Expect(listener.Locator("#state")).ToHaveTextAsync("Connected");

        await Assertions.Expect(listener.Locator("#unblock")).ToBeVisibleAsync();
        await ScreenshotAsync(listener, "listen-autoplay-blocked");
        await listener.Locator("#unblock").ClickAsync();

        await Assertions.Expect(listener.Locator("#unblock")).ToBeHiddenAsync();
        Assert.That(await listener.EvaluateAsync<bool>("() => window.wsaudioRoom.audioBlocked"), Is.False);
    }
}
