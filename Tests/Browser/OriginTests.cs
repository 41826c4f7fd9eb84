using Microsoft.Playwright;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>A server with an origin allow-list: its own pages work, and a page elsewhere is told why it may not connect.</summary>
public sealed class OriginTests : BrowserFixture
{
    private protected override string[] ServerArguments => ["--Embedding:AllowedOrigins:0=https://radio.example.com"];

    [Test]
    public async Task OwnPages_WithAnAllowListSet_Connect()
    {
        var listen = await OpenAsync("/listen/own-origin");
        var voice = await OpenAsync("/");
        await voice.Locator("#name").FillAsync("Ada");
        await voice.Locator("#room").FillAsync("own-origin");
        await voice.Locator("#join").ClickAsync();

        await Assertions.Expect(listen.Locator("#state")).ToHaveTextAsync("Connected");
        await Assertions.Expect(voice.Locator("#call")).ToBeVisibleAsync();
        await Assertions.Expect(listen.Locator("#badge")).ToHaveTextAsync("LIVE");
    }

    [Test]
    public async Task PageOfAnotherSite_ConnectingToIt_IsToldWhy()
    {
        // Another server is another origin (another port): a page of it embeds the library and tries this server.
        await using var elsewhere = await RelayServer.StartAsync();
        var page = await OpenOnAsync(elsewhere.HttpUri, "/listen/not-here");
        string message = await page.EvaluateAsync<string>(
            """
            async (url) => {
              const { Room } = await import('/wsaudio.js');
              const room = new Room({ url, room: 'embedded', role: 'listener', reconnect: false });
              try { await room.connect(); return 'joined'; } catch (e) { return e.code + ': ' + e.message; }
            }
            """, Server.WebSocketUri.ToString());

        TestContext.Out.WriteLine(message);
        Assert.That(message, Does.StartWith("origin-not-allowed: pages from " + elsewhere.HttpUri.GetLeftPart(UriPartial.Authority)));
        Assert.That(Server.Rooms.Find("embedded"), Is.Null);
    }

    private async Task<IPage> OpenOnAsync(Uri server, string path)
    {
        var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(server, path).ToString());
        return page;
    }
}
