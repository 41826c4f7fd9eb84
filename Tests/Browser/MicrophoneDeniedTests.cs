using Microsoft.Playwright;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>A visitor who refuses the microphone is told so, with what to do, and is never left in a phantom call.</summary>
public sealed class MicrophoneDeniedTests : BrowserFixture
{
    [Test]
    public async Task VoiceRoom_MicrophoneRefused_SaysWhyAndOffersListeningOnly()
    {
        var page = await OpenAsync("/", microphone: false);
        await page.Locator("#name").FillAsync("Ada");
        await page.Locator("#room").FillAsync("no-mic");
        await page.Locator("#join").ClickAsync();

        await Assertions.Expect(page.Locator("#call-error")).ToContainTextAsync("did not allow the microphone");
        await Assertions.Expect(page.Locator("#mic-choices")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#mute")).ToBeDisabledAsync();
        await ScreenshotAsync(page, "voice-microphone-refused");
        var before = Server.Rooms.Find("no-mic")!.Status();

        await page.Locator("#listen-only").ClickAsync();
        await Assertions.Expect(page.Locator("#mic-choices")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("Connected");
        await Assertions.Expect(page.Locator("#mute")).ToBeHiddenAsync();
        var after = Server.Rooms.Find("no-mic")!.Status();

        Assert.Multiple(() =>
        {
            Assert.That((before.Speakers, before.Listeners), Is.EqualTo((1, 0)), "in the call, hearing everyone, while the choice is open");
            Assert.That((after.Speakers, after.Listeners), Is.EqualTo((0, 1)), "then a listener, not a silent speaker");
        });
    }

    [Test]
    public async Task BroadcastPage_MicrophoneRefused_SaysWhyAndStaysOffAir()
    {
        var page = await OpenAsync("/broadcast/no-mic-radio", microphone: false);
        await Assertions.Expect(page.Locator("#toggle")).ToBeEnabledAsync();

        await page.Locator("#toggle").ClickAsync();

        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("did not allow the microphone");
        await Assertions.Expect(page.Locator("#toggle")).ToHaveTextAsync("Start broadcasting");
        await Assertions.Expect(page.Locator("#badge")).Not.ToHaveTextAsync("ON AIR");
        await ScreenshotAsync(page, "broadcast-microphone-refused");
    }
}
