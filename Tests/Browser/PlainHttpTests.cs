using Microsoft.Playwright;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>
/// A server reached by name over plain http (not localhost) is not a secure context: browsers give such a page
/// neither WebCodecs, nor AudioWorklet, nor the microphone. Listeners still hear (WebAssembly decoding, playback on the
/// page's thread); a broadcaster is told why the microphone is refused. The second browser resolves
/// <c>wsaudio.test</c> to the test server, as DNS would for a deployment on a LAN name.
/// </summary>
public sealed class PlainHttpTests : BrowserFixture
{
    private IBrowser? _plainBrowser;

    private Uri PlainHttp => new($"http://wsaudio.test:{Http.Port}/");

    [OneTimeSetUp]
    public async Task StartPlainBrowser() =>
        _plainBrowser = await LaunchAsync(Driver, "--host-resolver-rules=MAP wsaudio.test 127.0.0.1");

    [OneTimeTearDown]
    public async Task StopPlainBrowser()
    {
        if (_plainBrowser is not null)
        {
            await _plainBrowser.CloseAsync();
        }
    }

    [Test]
    public async Task Listen_OnPlainHttp_HearsTheSpeechThroughTheFallbacks()
    {
        var listener = await OpenAsync("/listen/plain-http", _plainBrowser, server: PlainHttp);
        var broadcaster = await OpenAsync("/broadcast/plain-http");

        bool secure = await listener.EvaluateAsync<bool>("() => window.isSecureContext");
        float[] heard = await BroadcastAndRecordAsync(listener, broadcaster);
        string paths = await listener.EvaluateAsync<string>("() => { const s = window.wsaudioRoom.getStats(); return s.decodePath + '/' + s.playbackPath; }");
        double latency = await listener.EvaluateAsync<double>("() => window.wsaudioRoom.getStats().streams[0].latencyMs");
        double correlation = BestWindowCorrelation(heard);
        TestContext.Out.WriteLine($"plain http listener: {paths}, correlation {correlation:F3}, latency {latency:F0} ms");

        Assert.Multiple(() =>
        {
            Assert.That(secure, Is.False, "the page must be an insecure context for this test to mean anything");
            Assert.That(paths, Is.EqualTo("wasm/script-processor"));
            Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9));
            Assert.That(latency, Is.LessThan(500));
        });
    }

    [Test]
    public async Task Broadcast_OnPlainHttp_SaysTheMicrophoneNeedsHttps()
    {
        var broadcaster = await OpenAsync("/broadcast/plain-http-mic", _plainBrowser, server: PlainHttp);

        await Assertions.Expect(broadcaster.Locator("#toggle")).ToBeEnabledAsync();
        await broadcaster.Locator("#toggle").ClickAsync();

        await Assertions.Expect(broadcaster.Locator("#error")).ToContainTextAsync("https");
        await Assertions.Expect(broadcaster.Locator("#badge")).ToHaveTextAsync("OFF AIR");
        await ScreenshotAsync(broadcaster, "broadcast-plain-http");
    }
}
