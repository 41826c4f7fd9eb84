using Microsoft.Playwright;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>
/// Browsers without WebCodecs (Firefox for Android, Safari before 26, WebViews) still send and hear: Opus is decoded
/// and encoded by WebAssembly, and where a page's Content-Security-Policy forbids WebAssembly the microphone goes out
/// as PCM 16. Here WebCodecs is removed from the page before it loads.
/// </summary>
public sealed class FallbackTests : BrowserFixture
{
    private const string WithoutWebCodecs = "delete window.AudioEncoder; delete window.AudioDecoder; delete window.EncodedAudioChunk; delete window.AudioData;";

    [Test]
    public async Task Broadcast_FromAPageWithoutWebCodecs_EncodesWithWebAssemblyAndIsHeardAsTheSpeech()
    {
        var listener = await OpenAsync("/listen/fallback-send");
        var broadcaster = await OpenAsync("/broadcast/fallback-send", initScript: WithoutWebCodecs);

        float[] heard = await BroadcastAndRecordAsync(listener, broadcaster);
        string path = await broadcaster.EvaluateAsync<string>("() => window.wsaudioRoom.getStats().encodePath");
        string codec = await listener.EvaluateAsync<string>("() => [...window.wsaudioRoom.liveStreams.values()][0]?.format.codec ?? 'none'");
        double correlation = BestWindowCorrelation(heard);
        TestContext.Out.WriteLine($"broadcaster sends {path} ({codec}); correlation {correlation:F3}");

        Assert.Multiple(() =>
        {
            Assert.That(path, Is.EqualTo("wasm"));
            Assert.That(codec, Is.EqualTo("opus"));
            Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9));
        });
    }

    [Test]
    public async Task Broadcast_WhereThePagePolicyForbidsWebAssembly_SendsPcm16AndIsHeard()
    {
        var listener = await OpenAsync("/listen/fallback-csp");
        var broadcaster = await OpenAsync("/broadcast/fallback-csp", initScript: WithoutWebCodecs + StrictPolicy);

        float[] heard = await BroadcastAndRecordAsync(listener, broadcaster);
        string path = await broadcaster.EvaluateAsync<string>("() => window.wsaudioRoom.getStats().encodePath");
        string codec = await listener.EvaluateAsync<string>("() => [...window.wsaudioRoom.liveStreams.values()][0]?.format.codec ?? 'none'");
        double correlation = BestWindowCorrelation(heard);
        TestContext.Out.WriteLine($"broadcaster under a CSP sends {path} ({codec}); correlation {correlation:F3}");

        Assert.Multiple(() =>
        {
            Assert.That(path, Is.EqualTo("pcm16"));
            Assert.That(codec, Is.EqualTo("pcm16"));
            Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9));
        });
    }

    // A policy as strict sites set it: scripts from the site (and the worklets' Blob URLs), no 'wasm-unsafe-eval'. It
    // goes in as the page's first <meta> once its head exists, before anything of the library runs.
    private const string StrictPolicy =
        """
        new MutationObserver((_, observer) => {
          if (document.head === null) return;
          const meta = document.createElement('meta');
          meta.httpEquiv = 'Content-Security-Policy';
          meta.content = "script-src 'self' blob:";
          document.head.prepend(meta);
          observer.disconnect();
        }).observe(document, { childList: true, subtree: true });
        """;

    [Test]
    public async Task Listen_OnAPageWithoutWebCodecs_DecodesWithWebAssemblyAndHearsTheSpeech()
    {
        var listener = await OpenAsync("/listen/fallback-hear", initScript: WithoutWebCodecs);
        var broadcaster = await OpenAsync("/broadcast/fallback-hear");

        float[] heard = await BroadcastAndRecordAsync(listener, broadcaster);
        string path = await listener.EvaluateAsync<string>("() => window.wsaudioRoom.getStats().decodePath");
        double correlation = BestWindowCorrelation(heard);
        TestContext.Out.WriteLine($"listener decodes with {path}; correlation {correlation:F3}");

        Assert.Multiple(() =>
        {
            Assert.That(path, Is.EqualTo("wasm"));
            Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9));
        });
    }

    [Test]
    public async Task Listen_WhereWebCodecsClaimsOpusButFails_FallsBackToWebAssembly()
    {
        // The browser says it decodes Opus, then fails on every packet (as some WebViews do).
        const string failingDecoder = "const real = AudioDecoder.prototype.decode; AudioDecoder.prototype.decode = function (chunk) { " +
            "return real.call(this, new EncodedAudioChunk({ type: 'key', timestamp: chunk.timestamp, data: new Uint8Array([0xff, 0xff, 0xff, 0xff]) })); };";
        var listener = await OpenAsync("/listen/fallback-claims", initScript: failingDecoder);
        var broadcaster = await OpenAsync("/broadcast/fallback-claims");

        float[] heard = await BroadcastAndRecordAsync(listener, broadcaster);
        string path = await listener.EvaluateAsync<string>("() => window.wsaudioRoom.getStats().decodePath");
        double correlation = BestWindowCorrelation(heard);
        TestContext.Out.WriteLine($"listener decodes with {path} after WebCodecs failed; correlation {correlation:F3}");

        Assert.Multiple(() =>
        {
            Assert.That(path, Is.EqualTo("wasm"));
            Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9));
        });
    }

    [Test]
    public async Task VoiceRoom_OnePageWithoutWebCodecs_AudioFlowsBothWays()
    {
        var ada = await JoinAsync("Ada", initScript: WithoutWebCodecs);
        var bo = await JoinAsync("Bo");

        string heard(string name) => $"room.getStats().streams.some((s) => room.participants.get(s.participantId)?.name === '{name}' && s.received >= 100)";
        await WaitForRoomAsync(ada, heard("Bo"));
        await WaitForRoomAsync(bo, heard("Ada"));
        string adaPaths = await ada.EvaluateAsync<string>("() => { const s = window.wsaudioRoom.getStats(); return s.decodePath + '/' + s.encodePath; }");
        Assert.That(adaPaths, Is.EqualTo("wasm/wasm"));
    }

    private async Task<IPage> JoinAsync(string name, string? initScript = null)
    {
        var page = await OpenAsync("/", initScript: initScript);
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#room").FillAsync("fallback-room");
        await page.Locator("#join").ClickAsync();
        await Assertions.Expect(page.Locator("#call")).ToBeVisibleAsync();
        return page;
    }
}
