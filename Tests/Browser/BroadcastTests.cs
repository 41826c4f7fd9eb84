using System.Text.Json;
using Microsoft.Playwright;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>A broadcast from a browser's microphone to browser listeners, as people would use the pages.</summary>
public sealed class BroadcastTests : BrowserFixture
{
    [Test]
    public async Task Broadcast_ToListenPage_GoesLiveByItselfAndTheListenerHearsTheSpeech()
    {
        var (listener, broadcaster) = await StartBroadcastAsync("radio", voiceProcessing: false, record: true);
        await WaitForRoomAsync(listener, "room.getStats().streams[0]?.received >= 300");
        await ScreenshotAsync(listener, "listen-live");
        await ScreenshotAsync(broadcaster, "broadcast-on-air");
        float[] heard = await StopRecordingAsync(listener);
        using var stats = JsonDocument.Parse(await listener.EvaluateAsync<string>("() => JSON.stringify(window.wsaudioRoom.getStats())"));

        await broadcaster.Locator("#toggle").ClickAsync();
        await Assertions.Expect(listener.Locator("#badge")).ToHaveTextAsync("OFFLINE");
        await ScreenshotAsync(listener, "listen-offline-again");

        double correlation = BestWindowCorrelation(heard);
        var stream = stats.RootElement.GetProperty("streams")[0];
        TestContext.Out.WriteLine($"correlation {correlation:F3}; {Describe(stream)}");
        Assert.Multiple(() =>
        {
            Assert.That(correlation, Is.GreaterThanOrEqualTo(0.8));
            Assert.That(stream.GetProperty("latencyMs").GetDouble(), Is.GreaterThan(0).And.LessThan(2000), "capture-to-playout latency is reported");
            Assert.That(stream.GetProperty("liveToFirstAudioMs").GetDouble(), Is.GreaterThanOrEqualTo(0), "time to first audio is reported");
            Assert.That(stats.RootElement.GetProperty("rttMs").GetDouble(), Is.GreaterThan(0), "round trip is measured");
        });
    }

    [Test]
    public async Task Broadcast_WithVoiceProcessing_DeliversAudibleSpeech()
    {
        // The browser's noise suppression and gain control reshape the signal before WsAudio sees it, and do so
        // differently from run to run, so this checks that speech gets through rather than how faithfully.
        var (listener, _) = await StartBroadcastAsync("talk", voiceProcessing: true, record: false);

        await WaitForRoomAsync(listener, "room.getStats().streams[0]?.received >= 100 && room.getStats().streams[0].level > -50");
    }

    [Test]
    public async Task Listen_JoiningALiveBroadcast_StartsPlayingAtOnce()
    {
        var (_, broadcaster) = await StartBroadcastAsync("late-radio", voiceProcessing: false, record: false);
        await WaitForRoomAsync(broadcaster, "room.getStats().framesSent >= 50");

        var late = await OpenAsync("/listen/late-radio");
        await TapToListenAsync(late);

        await Assertions.Expect(late.Locator("#badge")).ToHaveTextAsync("LIVE");
        await WaitForRoomAsync(late, "room.getStats().streams[0]?.liveToFirstAudioMs !== undefined");
        double joinToFirstAudio = await late.EvaluateAsync<double>("() => window.wsaudioRoom.getStats().streams[0].liveToFirstAudioMs");
        TestContext.Out.WriteLine($"joining a live room -> first audio {joinToFirstAudio:F1} ms");
        Assert.That(joinToFirstAudio, Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public async Task Listen_TappedLongAfterTheBroadcastStarted_PlaysAtTheLiveEdge()
    {
        var listener = await OpenAsync("/listen/held-radio");
        await Assertions.Expect(listener.Locator("#state")).ToHaveTextAsync("Connected");
        var broadcaster = await OpenAsync("/broadcast/held-radio");
        await Assertions.Expect(broadcaster.Locator("#toggle")).ToBeEnabledAsync();
        await broadcaster.Locator("#toggle").ClickAsync();
        await Assertions.Expect(listener.Locator("#badge")).ToHaveTextAsync("LIVE");

        // Twenty seconds of the broadcast go by while the visitor has not tapped yet: none of it may wait to be played.
        await WaitForRoomAsync(broadcaster, "room.getStats().framesSent >= 1000", 40_000);
        await TapToListenAsync(listener);
        await WaitForRoomAsync(listener, "room.getStats().streams[0]?.latencySamples.length >= 100");
        using var stats = JsonDocument.Parse(await listener.EvaluateAsync<string>("() => JSON.stringify(window.wsaudioRoom.getStats())"));
        var stream = stats.RootElement.GetProperty("streams")[0];
        double[] latencies = [.. stream.GetProperty("latencySamples").EnumerateArray().Select(s => s.GetDouble())];
        double worst = latencies.Max();
        double worstAfterTwoSeconds = latencies[^50..].Max();
        TestContext.Out.WriteLine($"after the tap: {Describe(stream)}, worst latency {worst:F0} ms, worst in the second second {worstAfterTwoSeconds:F0} ms");

        // OFFLINE means quiet: what is still buffered plays out within a second, then nothing.
        await broadcaster.Locator("#toggle").ClickAsync();
        await Assertions.Expect(listener.Locator("#badge")).ToHaveTextAsync("OFFLINE");
        await listener.EvaluateAsync("() => new Promise((resolve) => setTimeout(resolve, 1000))");
        await listener.EvaluateAsync("() => window.wsaudioRoom.startRecording()");
        await listener.EvaluateAsync("() => new Promise((resolve) => setTimeout(resolve, 1000))");
        float[] afterOffline = await StopRecordingAsync(listener);
        double rms = Math.Sqrt(afterOffline.Sum(x => (double)x * x) / Math.Max(1, afterOffline.Length));
        double dbfs = rms > 0 ? 20 * Math.Log10(rms) : -120;
        TestContext.Out.WriteLine($"from 1 s after OFFLINE: {dbfs:F1} dBFS over {afterOffline.Length / 48.0:F0} ms");

        Assert.Multiple(() =>
        {
            Assert.That(worst, Is.LessThan(1000), "the first audio played is from the live edge, not from before the tap");
            Assert.That(worstAfterTwoSeconds, Is.LessThanOrEqualTo(300), "within two seconds of the tap, what is heard is at most 300 ms old");
            Assert.That(stream.GetProperty("jitterBufferMs").GetDouble(), Is.LessThanOrEqualTo(300));
            Assert.That(dbfs, Is.LessThan(-60), "silence within a second of OFFLINE");
        });
    }

    [Test]
    public async Task Listen_WithAutoplayBlocked_OffersAButtonThatStartsPlayback()
    {
        var listener = await OpenAsync("/listen/blocked");
        await Assertions.Expect(listener.Locator("#state")).ToHaveTextAsync("Connected");

        await Assertions.Expect(listener.Locator("#unblock")).ToBeVisibleAsync();
        await ScreenshotAsync(listener, "listen-autoplay-blocked");
        await listener.Locator("#unblock").ClickAsync();

        await Assertions.Expect(listener.Locator("#unblock")).ToBeHiddenAsync();
        Assert.That(await listener.EvaluateAsync<bool>("() => window.wsaudioRoom.audioBlocked"), Is.False);
    }

    /// <summary>Opens a listening page (OFFLINE), then a broadcast page, and starts broadcasting (LIVE).</summary>
    private async Task<(IPage Listener, IPage Broadcaster)> StartBroadcastAsync(string room, bool voiceProcessing, bool record)
    {
        var listener = await OpenAsync($"/listen/{room}");
        await Assertions.Expect(listener.Locator("#state")).ToHaveTextAsync("Connected");
        await Assertions.Expect(listener.Locator("#badge")).ToHaveTextAsync("OFFLINE");
        await TapToListenAsync(listener);
        await ScreenshotAsync(listener, $"listen-offline-{room}");
        var broadcaster = await OpenAsync($"/broadcast/{room}");
        await Assertions.Expect(broadcaster.Locator("#toggle")).ToBeEnabledAsync();
        await Assertions.Expect(broadcaster.Locator("#listeners")).ToHaveTextAsync("1 listener");
        await broadcaster.Locator("#processing").SetCheckedAsync(voiceProcessing);
        if (record)
        {
            await listener.EvaluateAsync("() => window.wsaudioRoom.startRecording()");
        }

        await broadcaster.Locator("#toggle").ClickAsync();

        await Assertions.Expect(listener.Locator("#badge")).ToHaveTextAsync("LIVE");
        await Assertions.Expect(broadcaster.Locator("#badge")).ToHaveTextAsync("ON AIR");
        return (listener, broadcaster);
    }

    private static string Describe(JsonElement stream)
    {
        var latencies = stream.GetProperty("latencySamples").EnumerateArray().Select(e => e.GetDouble()).Order().ToArray();
        return $"capture->playout median {stream.GetProperty("latencyMs").GetDouble():F1} ms, p95 {latencies[(int)(latencies.Length * 0.95)]:F1} ms " +
            $"over {latencies.Length} frames; LIVE->first audio {stream.GetProperty("liveToFirstAudioMs").GetDouble():F1} ms; " +
            $"jitter buffer {stream.GetProperty("jitterBufferMs").GetDouble()} ms, target {stream.GetProperty("targetDelayMs").GetDouble()} ms, " +
            $"underruns {stream.GetProperty("underruns").GetInt32()}, concealed {stream.GetProperty("concealed").GetInt32()}";
    }
}
