using Microsoft.Playwright;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>The voice-room page with several people, each in a browser of their own.</summary>
public sealed class VoiceRoomTests : BrowserFixture
{
    [Test]
    public async Task VoiceRoom_ThreePeople_EachHearsTheOtherTwo()
    {
        var pages = new List<IPage>();
        foreach (string name in new[] { "Ada", "Bo", "Cy" })
        {
            pages.Add(await JoinAsync(name, "trio"));
        }

        foreach (var page in pages)
        {
            await Assertions.Expect(page.Locator("#count")).ToHaveTextAsync("3 participants");
            await WaitForRoomAsync(page, "room.getStats().streams.length === 2 && room.getStats().streams.every((s) => s.received >= 100)");
        }

        await ScreenshotAsync(pages[0], "voice-room-three");
        foreach (var page in pages)
        {
            var heard = await page.EvaluateAsync<string[]>(
                "() => window.wsaudioRoom.getStats().streams.map((s) => window.wsaudioRoom.participants.get(s.participantId)?.name).sort()");
            string self = await page.Locator("#name").InputValueAsync();
            Assert.That(heard, Is.EquivalentTo(new[] { "Ada", "Bo", "Cy" }.Where(n => n != self)), $"{self} hears the two others and not itself");
        }
    }

    [Test]
    public async Task Mute_Speaker_OthersSeeItAndItsAudioStops()
    {
        var ada = await JoinAsync("Ada", "mute-room");
        var bo = await JoinAsync("Bo", "mute-room");
        var cy = await JoinAsync("Cy", "mute-room");
        string adaId = await ada.EvaluateAsync<string>("() => window.wsaudioRoom.participantId");
        string cyId = await cy.EvaluateAsync<string>("() => window.wsaudioRoom.participantId");
        await WaitForRoomAsync(bo, $"room.getStats().streams.filter((s) => s.received >= 50).length === 2");

        await ada.Locator("#mute").ClickAsync();

        await Assertions.Expect(ada.Locator("#mute")).ToHaveTextAsync("Unmute");
        await Assertions.Expect(bo.Locator($"[data-id='{adaId}'] .role")).ToHaveTextAsync("muted");
        await ScreenshotAsync(bo, "voice-room-muted");
        string countOf(string id) => $"(room.getStats().streams.find((s) => s.participantId === '{id}')?.received ?? 0)";
        double adaBefore = await bo.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {countOf(adaId)}; }}");
        double cyBefore = await bo.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {countOf(cyId)}; }}");

        // While Cy's audio keeps arriving, Ada's must not: 100 more frames of Cy (2 s) is the clock.
        await WaitForRoomAsync(bo, $"{countOf(cyId)} >= {cyBefore + 100}");
        double adaAfter = await bo.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {countOf(adaId)}; }}");

        Assert.That(adaAfter - adaBefore, Is.LessThanOrEqualTo(3), "at most the frames already in flight when Ada muted");
        await ada.Locator("#mute").ClickAsync();

        // Ada's audio flows again: her count climbs, or, if her stream went idle while muted, restarts and climbs.
        await WaitForRoomAsync(bo, $"(({countOf(adaId)}) > {adaAfter + 20}) || (({countOf(adaId)}) < {adaAfter} && ({countOf(adaId)}) >= 20)");
    }

    [Test]
    public async Task Reconnect_ServerRestarts_PageRejoinsByItself()
    {
        await using var server = await RelayServer.StartAsync();
        int port = server.HttpUri.Port;
        var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(server.HttpUri, "/listen/comeback").ToString());
        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("Connected");

        await server.StopAsync();
        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("Reconnecting…");
        await ScreenshotAsync(page, "listen-reconnecting");
        await using var restarted = await RelayServer.StartAsync("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("Connected", new() { Timeout = 20_000 });
        Assert.That(restarted.Rooms.Find("comeback"), Is.Not.Null, "the page joined its room again");
        await context.CloseAsync();
    }

    private async Task<IPage> JoinAsync(string name, string room)
    {
        var page = await OpenAsync("/");
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#room").FillAsync(room);
        await page.Locator("#join").ClickAsync();
        await Assertions.Expect(page.Locator("#call")).ToBeVisibleAsync();
        await WaitForRoomAsync(page, "room.getStats().framesSent > 0");
        return page;
    }
}
