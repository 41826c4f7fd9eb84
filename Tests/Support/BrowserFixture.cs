using Microsoft.Playwright;

namespace WsAudio.Tests.Support;

/// <summary>
/// A real server and one headless Chromium (Debian's, at /usr/bin/chromium) whose fake microphone plays the test
/// speech in a loop. Each page gets a context of its own, as separate people would. The browser keeps its default
/// autoplay policy, so pages play sound only after a click, as for a visitor; each context has the microphone
/// allowed for the server's origin, as a visitor who answered the browser's prompt with Allow.
/// </summary>
public abstract class BrowserFixture : RelayFixture
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<IBrowserContext> _contexts = [];

    private protected IBrowser Browser => _browser ?? throw new InvalidOperationException("no browser");

    private protected IPlaywright Driver => _playwright ?? throw new InvalidOperationException("no Playwright");

    private protected Uri Http => Server.HttpUri;

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    [TearDown]
    public async Task CloseContexts()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        _contexts.Clear();
    }

    private protected static Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArgs)
    {
        // A fake microphone device, but no flag that answers the permission prompt or lifts the autoplay policy.
        string[] args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream",
            $"--use-file-for-fake-audio-capture={Speech.Path48k}", .. extraArgs,
        ];
        return playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = args });
    }

    /// <summary>
    /// Opens <paramref name="path"/> in a fresh context (its own storage, as another person's browser), with the
    /// microphone allowed unless <paramref name="microphone"/> is false (then the prompt is refused). The page is on
    /// the test server unless <paramref name="server"/> names another address of it.
    /// </summary>
    private protected async Task<IPage> OpenAsync(string path, IBrowser? browser = null, bool microphone = true, string? initScript = null, Uri? server = null)
    {
        var context = await (browser ?? Browser).NewContextAsync(new()
        {
            ViewportSize = new() { Width = 420, Height = 860 },
            Permissions = microphone ? ["microphone"] : [],
        });
        _contexts.Add(context);
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }

        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                TestContext.Out.WriteLine($"[{path}] console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => TestContext.Out.WriteLine($"[{path}] page error: {error}");
        await page.GotoAsync(new Uri(server ?? Http, path).ToString());
        return page;
    }

    /// <summary>Taps the listening page's "Tap to listen", as a visitor must before the browser plays sound.</summary>
    private protected static async Task TapToListenAsync(IPage page)
    {
        await Assertions.Expect(page.Locator("#unblock")).ToBeVisibleAsync();
        await page.Locator("#unblock").ClickAsync();
        await Assertions.Expect(page.Locator("#unblock")).ToBeHiddenAsync();
    }

    /// <summary>Saves a screenshot with the test results.</summary>
    private protected static async Task ScreenshotAsync(IPage page, string name)
    {
        string directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }

    /// <summary>Waits until <paramref name="predicate"/> (a JavaScript expression over <c>room</c>, the page's Room) is true.</summary>
    private protected static Task WaitForRoomAsync(IPage page, string predicate, float timeoutMs = 20_000) =>
        page.WaitForFunctionAsync($"() => {{ const room = window.wsaudioRoom; return room !== undefined && ({predicate}); }}", null, new() { Timeout = timeoutMs, PollingInterval = 50 });

    /// <summary>
    /// The fake microphone loops the speech. 2 s stretches of what was heard, from the last back to the one starting
    /// 1 s in, are located in that loop, and the best match is returned: adaptive playout may skip or stretch a
    /// frame, and on a loaded machine an underrun may pause playout, inside any one stretch. The search stops at the
    /// first stretch that matches well, since each costs a lag search.
    /// </summary>
    private protected static double BestWindowCorrelation(float[] heard)
    {
        const double GoodEnough = 0.95;
        float[] speech = Speech.Samples48k();
        float[] loop = [.. speech, .. speech];
        double best = 0;
        for (int end = heard.Length - (2 * 48000); end >= 48000 && best < GoodEnough; end -= 24000)
        {
            float[] window = heard.AsSpan(end, 2 * 48000).ToArray();
            int offset = AudioCompare.FindLag(window, loop, loop.Length - window.Length);
            best = Math.Max(best, AudioCompare.Correlation(window, loop, offset));
        }

        return best;
    }

    /// <summary>
    /// Taps to listen, broadcasts from <paramref name="broadcaster"/> with voice processing off (so the speech is
    /// compared as sent) and returns 6 s of what <paramref name="listener"/> played.
    /// </summary>
    private protected static async Task<float[]> BroadcastAndRecordAsync(IPage listener, IPage broadcaster)
    {
        await Assertions.Expect(listener.Locator("#state")).ToHaveTextAsync("Connected");
        await TapToListenAsync(listener);
        await Assertions.Expect(broadcaster.Locator("#toggle")).ToBeEnabledAsync();
        await broadcaster.Locator("#processing").SetCheckedAsync(false);
        await listener.EvaluateAsync("() => window.wsaudioRoom.startRecording()");
        await broadcaster.Locator("#toggle").ClickAsync();
        await Assertions.Expect(listener.Locator("#badge")).ToHaveTextAsync("LIVE");
        await WaitForRoomAsync(listener, "room.getStats().streams[0]?.received >= 300");
        return await StopRecordingAsync(listener);
    }

    /// <summary>Stops the page's recording and returns what it played, 48 kHz mono.</summary>
    private protected static async Task<float[]> StopRecordingAsync(IPage page)
    {
        string base64 = await page.EvaluateAsync<string>(
            """
            async () => {
              const samples = await window.wsaudioRoom.stopRecording();
              const bytes = new Uint8Array(samples.buffer);
              let text = '';
              for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
              return btoa(text);
            }
            """);
        byte[] bytes = Convert.FromBase64String(base64);
        var samples = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, samples, 0, bytes.Length);
        return samples;
    }
}
