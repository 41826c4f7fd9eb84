using System.Text.Json;
using Microsoft.Playwright;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>
/// Phones take the page's audio away (a call, another app) and give it back when the person returns. The page's
/// init script plays the system: while <c>__call</c> is set, <c>AudioContext.resume()</c> is refused as iOS refuses
/// it during a call; the test suspends the page's context, then ends the call and returns to the tab.
/// </summary>
public sealed class InterruptionTests : BrowserFixture
{
    private const string PhoneCall =
        """
        window.__call = false;
        window.__contexts = [];
        const resume = AudioContext.prototype.resume;
        AudioContext.prototype.resume = function () {
          return window.__call ? Promise.reject(new DOMException('The audio session is interrupted', 'InvalidStateError')) : resume.call(this);
        };
        const Real = window.AudioContext;
        window.AudioContext = class extends Real { constructor(options) { super(options); window.__contexts.push(this); } };
        """;

    [Test]
    public async Task Listen_AfterAPhoneCall_ResumesOnReturnAtTheLiveEdge()
    {
        var listener = await OpenAsync("/listen/phone-call", initScript: PhoneCall);
        await Assertions.Expect(listener.Locator("#state")).ToHaveTextAsync("Connected");
        await TapToListenAsync(listener);
        var broadcaster = await OpenAsync("/broadcast/phone-call");
        await Assertions.Expect(broadcaster.Locator("#toggle")).ToBeEnabledAsync();
        await broadcaster.Locator("#toggle").ClickAsync();
        await WaitForRoomAsync(listener, "room.getStats().streams[0]?.latencySamples.length >= 50");

        // The call: the system suspends the page's audio and refuses to give it back for five seconds of broadcast.
        await listener.EvaluateAsync("async () => { window.__call = true; await window.__contexts[0].suspend(); }");
        int sent = await broadcaster.EvaluateAsync<int>("() => window.wsaudioRoom.getStats().framesSent");
        await WaitForRoomAsync(broadcaster, $"room.getStats().framesSent >= {sent + 250}");
        string during = await listener.EvaluateAsync<string>("() => window.__contexts[0].state");
        int before = await listener.EvaluateAsync<int>("() => window.wsaudioRoom.getStats().streams[0].latencySamples.length");

        // The call ends and the person comes back to the tab: no tap needed.
        await listener.EvaluateAsync("() => { window.__call = false; document.dispatchEvent(new Event('visibilitychange')); }");
        await listener.WaitForFunctionAsync("() => window.__contexts[0].state === 'running'", null, new() { Timeout = 2_000, PollingInterval = 50 });
        await WaitForRoomAsync(listener, $"room.getStats().streams[0].latencySamples.length >= {before + 100}");
        using var stats = JsonDocument.Parse(await listener.EvaluateAsync<string>("() => JSON.stringify(window.wsaudioRoom.getStats())"));
        double[] latencies = [.. stats.RootElement.GetProperty("streams")[0].GetProperty("latencySamples").EnumerateArray().Select(s => s.GetDouble())];
        double[] afterReturn = latencies[before..];
        TestContext.Out.WriteLine($"during the call: {during}; after return: first {afterReturn[0]:F0} ms, worst {afterReturn.Max():F0} ms, worst in the second second {afterReturn[^50..].Max():F0} ms");

        Assert.Multiple(() =>
        {
            Assert.That(during, Is.EqualTo("suspended"));
            Assert.That(afterReturn.Max(), Is.LessThan(1000), "nothing from before or during the call is played after it");
            Assert.That(afterReturn[^50..].Max(), Is.LessThanOrEqualTo(300), "within two seconds of the return, what is heard is at most 300 ms old");
        });
    }
}
