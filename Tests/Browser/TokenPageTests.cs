using Microsoft.Playwright;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>The pages on a server that requires tokens: they take one from their URL.</summary>
public sealed class TokenPageTests : BrowserFixture
{
    private protected override string[] ServerArguments => Tokens.ServerArguments;

    [Test]
    public async Task ListenPage_WithTokenInItsUrl_Joins()
    {
        var page = await OpenAsync($"/listen/members?token={Tokens.For("members", "subscribe")}");

        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("Connected");
        await Assertions.Expect(page.Locator("#badge")).ToHaveTextAsync("OFFLINE");
    }

    [Test]
    public async Task ListenPage_WithoutToken_SaysWhy()
    {
        var page = await OpenAsync("/listen/members");

        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("access token");
        await ScreenshotAsync(page, "listen-token-required");
    }
}
