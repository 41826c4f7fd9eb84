using Microsoft.Playwright;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>
/// <c>/radio/{room}</c> in Chromium with its default autoplay policy (as every browser test): OFFLINE → LIVE → OFFLINE from server-sent
/// events alone, and the broadcast playing in an <c>&lt;audio&gt;</c> element once the visitor asks for it.
/// </summary>
public sealed class RadioPageTests : BrowserFixture
{
    [Test]
    public async Task RadioPage_ThroughABroadcast_GoesLivePlaysAndGoesOffline()
    {
        var page = await OpenAsync("/radio/station-page");
        await Assertions.Expect(page.Locator("#badge")).ToHaveTextAsync("OFFLINE");

        await using var send = CliProcess.Start("send", "--url", Url.ToString(), "--room", "station-page", "--file", Speech.Path48k, "--loop", "--duration", "00:00:12", "--role", "broadcaster");
        await Assertions.Expect(page.Locator("#badge")).ToHaveTextAsync("LIVE", new() { Timeout = 20_000 });

        // Without a gesture the page may not start sound; it offers a button, and a click is a gesture.
        await page.WaitForFunctionAsync("() => !document.getElementById('play').classList.contains('hidden') || document.getElementById('player').currentTime > 0", null, new() { Timeout = 20_000, PollingInterval = 50 });
        if (await page.Locator("#play").IsVisibleAsync())
        {
            await page.Locator("#play").ClickAsync();
        }

        try
        {
            await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 1", null, new() { Timeout = 20_000, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            string state = await page.EvaluateAsync<string>("() => { const p = document.getElementById('player'); return JSON.stringify({ src: p.src, t: p.currentTime, ready: p.readyState, net: p.networkState, paused: p.paused, error: p.error && p.error.message, button: !document.getElementById('play').classList.contains('hidden') }); }");
            Assert.Fail($"the player did not play: {state}");
        }
        await ScreenshotAsync(page, "radio-live");
        Assert.That(await send.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero, send.Output);
        await Assertions.Expect(page.Locator("#badge")).ToHaveTextAsync("OFFLINE", new() { Timeout = 20_000 });
        Assert.That(await page.Locator("#error").IsVisibleAsync(), Is.False, await page.Locator("#error").TextContentAsync());
    }
}
