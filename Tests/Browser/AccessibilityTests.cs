using System.Text.Json;
using Microsoft.Playwright;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>
/// Every page, in each state a person meets it, passes axe-core's WCAG 2.1 A and AA rules without a serious or
/// critical violation; each state is also saved as a screenshot at a laptop's and a phone's size.
/// </summary>
public sealed class AccessibilityTests : BrowserFixture
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("laptop", 1280, 800), ("phone", 390, 844)];

    [Test]
    public async Task Pages_InEveryState_HaveNoSeriousOrCriticalViolations()
    {
        var problems = new List<string>();

        var voice = await OpenAsync("/?room=" + new string('a', 64));
        problems.AddRange(await AuditAsync(voice, "voice-lobby"));
        await voice.Locator("#name").FillAsync("Ada");
        await voice.Locator("#join").ClickAsync();
        await Assertions.Expect(voice.Locator("#call")).ToBeVisibleAsync();
        await WaitForRoomAsync(voice, "room.getStats().framesSent > 0");
        problems.AddRange(await AuditAsync(voice, "voice-joined"));

        var listener = await OpenAsync("/listen/a11y-radio");
        await Assertions.Expect(listener.Locator("#state")).ToHaveTextAsync("Connected");
        problems.AddRange(await AuditAsync(listener, "listen-offline"));
        var broadcaster = await OpenAsync("/broadcast/a11y-radio");
        await Assertions.Expect(broadcaster.Locator("#toggle")).ToBeEnabledAsync();
        problems.AddRange(await AuditAsync(broadcaster, "broadcast-off-air"));
        await broadcaster.Locator("#toggle").ClickAsync();
        await Assertions.Expect(broadcaster.Locator("#badge")).ToHaveTextAsync("ON AIR");
        await TapToListenAsync(listener);
        await Assertions.Expect(listener.Locator("#badge")).ToHaveTextAsync("LIVE");
        problems.AddRange(await AuditAsync(broadcaster, "broadcast-on-air"));
        problems.AddRange(await AuditAsync(listener, "listen-live"));

        Assert.That(problems, Is.Empty, string.Join('\n', problems));
    }

    [Test]
    public async Task Pages_WhileTheServerIsDown_HaveNoSeriousOrCriticalViolations()
    {
        await using var server = await RelayServer.StartAsync();
        var listener = await OpenAsync(new Uri(server.HttpUri, "/listen/a11y-down").ToString());
        await Assertions.Expect(listener.Locator("#state")).ToHaveTextAsync("Connected");
        var broadcaster = await OpenAsync(new Uri(server.HttpUri, "/broadcast/a11y-down").ToString());
        await Assertions.Expect(broadcaster.Locator("#toggle")).ToBeEnabledAsync();
        await broadcaster.Locator("#toggle").ClickAsync();
        await Assertions.Expect(broadcaster.Locator("#badge")).ToHaveTextAsync("ON AIR");

        await server.StopAsync();
        await Assertions.Expect(listener.Locator("#connection-banner")).ToBeVisibleAsync();
        await Assertions.Expect(broadcaster.Locator("#badge")).ToHaveTextAsync("NO CONNECTION");
        await Assertions.Expect(broadcaster.Locator("#toggle")).ToBeEnabledAsync();
        var problems = new List<string>();
        problems.AddRange(await AuditAsync(listener, "listen-reconnecting"));
        problems.AddRange(await AuditAsync(broadcaster, "broadcast-reconnecting"));

        Assert.That(problems, Is.Empty, string.Join('\n', problems));
    }

    // Runs axe-core on the page as it is and saves it at both sizes; returns one line per serious or critical violation.
    private static async Task<List<string>> AuditAsync(IPage page, string state)
    {
        await page.AddScriptTagAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "axe.min.js") });
        string json = await page.EvaluateAsync<string>(
            """
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return JSON.stringify(result.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
            }
            """);
        foreach (var (name, width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            await ScreenshotAsync(page, $"{state}-{name}");
        }

        using var violations = JsonDocument.Parse(json);
        var lines = violations.RootElement.EnumerateArray()
            .Select(v => $"{state}: {v.GetProperty("impact").GetString()} {v.GetProperty("id").GetString()} ({v.GetProperty("help").GetString()}) at {string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}")
            .ToList();
        TestContext.Out.WriteLine(lines.Count == 0 ? $"{state}: no serious or critical violations" : string.Join('\n', lines));
        return lines;
    }
}
