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

        // Frames Ada sent before the mute may still be on their way through Bo's decoder (on a loaded machine, up to
        // a second of them): 50 frames of Cy (1 s) later, Bo's counts have caught up with the mute.
        double cyAtMute = await bo.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {countOf(cyId)}; }}");
        await WaitForRoomAsync(bo, $"{countOf(cyId)} >= {cyAtMute + 50}");
        double adaBefore = await bo.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {countOf(adaId)}; }}");
        double cyBefore = await bo.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {countOf(cyId)}; }}");

        // While Cy's audio keeps arriving, Ada's must not: 100 more frames of Cy (2 s) is the clock.
        await WaitForRoomAsync(bo, $"{countOf(cyId)} >= {cyBefore + 100}");
        double adaAfter = await bo.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {countOf(adaId)}; }}");

        Assert.That(adaAfter - adaBefore, Is.LessThanOrEqualTo(3), "nothing of Ada's once the mute has reached Bo");
        await ada.Locator("#mute").ClickAsync();

        // Ada's audio flows again: her count climbs, or, if her stream went idle while muted, restarts and climbs.
        await WaitForRoomAsync(bo, $"(({countOf(adaId)}) > {adaAfter + 20}) || (({countOf(adaId)}) < {adaAfter} && ({countOf(adaId)}) >= 20)");

        // And it is heard as fresh as before the mute: frames after an unmute carry their real capture time.
        string latencies = $"(room.getStats().streams.find((s) => s.participantId === '{adaId}')?.latencySamples ?? [])";
        double adaNow = await bo.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {countOf(adaId)}; }}");
        await WaitForRoomAsync(bo, $"{countOf(adaId)} >= {adaNow + 60}");
        var recent = await bo.EvaluateAsync<double[]>($"() => {{ const room = window.wsaudioRoom; return {latencies}.slice(-50); }}");
        TestContext.Out.WriteLine($"latency of Ada's last {recent.Length} frames after the unmute: {recent.Min():F0}–{recent.Max():F0} ms");
        Assert.That(recent, Has.Length.EqualTo(50).And.All.LessThan(1000), "latency after an unmute is the path's, not the mute's length");
    }

    [Test]
    public async Task PushToTalk_HoldingTheSpaceBar_UnmutesOnlyWhileHeld()
    {
        var ada = await JoinAsync("Ada", "ptt-room");
        var bo = await JoinAsync("Bo", "ptt-room");
        string adaId = await ada.EvaluateAsync<string>("() => window.wsaudioRoom.participantId");
        var adaOnBo = bo.Locator($"[data-id='{adaId}'] .role");

        await ada.Locator("#ptt").CheckAsync();
        await Assertions.Expect(adaOnBo).ToHaveTextAsync("muted");
        await ada.Keyboard.DownAsync("Space");
        await Assertions.Expect(adaOnBo).ToHaveTextAsync("speaker");
        await ada.Keyboard.UpAsync("Space");
        await Assertions.Expect(adaOnBo).ToHaveTextAsync("muted");

        // The space bar talks; it does not also tick the checkbox that has the focus.
        await Assertions.Expect(ada.Locator("#ptt")).ToBeCheckedAsync();
        await Assertions.Expect(ada.Locator("#mute")).ToBeDisabledAsync();
    }

    [Test]
    public async Task Microphone_SwitchedDuringTheCall_KeepsTheStreamGoing()
    {
        var ada = await JoinAsync("Ada", "device-room");
        var bo = await JoinAsync("Bo", "device-room");
        await WaitForRoomAsync(bo, $"{Received("Ada")} >= 50");
        string adaStream = $"[...room.liveStreams.values()].find((s) => room.participants.get(s.participantId)?.name === 'Ada')?.streamId";
        double streamBefore = await bo.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {adaStream}; }}");

        await ada.Locator("#audio-settings summary").ClickAsync();
        string current = await ada.EvaluateAsync<string>("() => window.wsaudioRoom.microphoneDevice");
        var devices = await ada.Locator("#mic-select option").EvaluateAllAsync<string[]>("options => options.map((o) => o.value)");
        string other = devices.First(d => d != current && d != "default");
        await ada.Locator("#mic-select").SelectOptionAsync(other);
        await WaitForRoomAsync(ada, $"room.microphoneDevice === '{other}'");
        double heardBefore = await bo.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {Received("Ada")}; }}");
        await WaitForRoomAsync(bo, $"{Received("Ada")} >= {heardBefore + 100}");
        double streamAfter = await bo.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {adaStream}; }}");

        TestContext.Out.WriteLine($"microphones offered: {devices.Length}; switched from '{current}' to '{other}'");
        Assert.That(streamAfter, Is.EqualTo(streamBefore), "the same stream goes on with the other microphone");
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
        await Assertions.Expect(page.Locator("#connection-banner")).ToContainTextAsync("connection to the server is lost");
        await Assertions.Expect(page.Locator("#badge")).ToHaveTextAsync("NO CONNECTION");
        await ScreenshotAsync(page, "listen-reconnecting");
        await using var restarted = await RelayServer.StartAsync("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("Connected", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#connection-banner")).ToBeHiddenAsync();
        Assert.That(restarted.Rooms.Find("comeback"), Is.Not.Null, "the page joined its room again");
        await context.CloseAsync();
    }

    [Test]
    public async Task Volume_ZeroForAPerson_HoldsThroughReRenderStreamRestartAndReconnect()
    {
        string[] idle = ["--Relay:StreamIdleTimeout=00:00:01"];
        await using var server = await RelayServer.StartAsync(idle);
        int port = server.HttpUri.Port;
        var ada = await JoinAsync("Ada", "quiet-room", server.HttpUri);
        var bo = await JoinAsync("Bo", "quiet-room", server.HttpUri);
        string adaId = await ada.EvaluateAsync<string>("() => window.wsaudioRoom.participantId");
        await WaitForRoomAsync(bo, $"{Received("Ada")} >= 50");
        await bo.Locator($"[data-id='{adaId}'] input[type='range']").FillAsync("0");

        // A re-render (Ada mutes: the list is drawn again) shows the volume as it is.
        await ada.Locator("#mute").ClickAsync();
        await Assertions.Expect(bo.Locator($"[data-id='{adaId}'] .role")).ToHaveTextAsync("muted");
        await Assertions.Expect(bo.Locator($"[data-id='{adaId}'] input[type='range']")).ToHaveValueAsync("0");

        // Muted past the idle time, Ada's stream stops; unmuted, it starts again, still silent for Bo.
        await WaitForRoomAsync(bo, "![...room.liveStreams.values()].some((s) => room.participants.get(s.participantId)?.name === 'Ada')");
        await ada.Locator("#mute").ClickAsync();
        double afterRestart = await HeardLevelAsync(bo);

        // The server restarts: both pages rejoin, Ada under a new participant id; her volume follows her name.
        await server.StopAsync();
        await Assertions.Expect(bo.Locator("#connection-banner")).ToBeVisibleAsync();
        await using var restarted = await RelayServer.StartAsync([.. idle, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await Assertions.Expect(bo.Locator("#state")).ToHaveTextAsync("Connected", new() { Timeout = 20_000 });
        await WaitForRoomAsync(bo, "[...room.participants.values()].some((p) => p.name === 'Ada' && p.streamId !== undefined)", 20_000);
        double afterReconnect = await HeardLevelAsync(bo);
        string newAdaId = await bo.EvaluateAsync<string>("() => [...window.wsaudioRoom.participants.values()].find((p) => p.name === 'Ada').id");
        await Assertions.Expect(bo.Locator($"[data-id='{newAdaId}'] input[type='range']")).ToHaveValueAsync("0");

        // The measurement can tell: at volume 1 Ada is heard.
        await bo.Locator($"[data-id='{newAdaId}'] input[type='range']").FillAsync("1");
        double atOne = await HeardLevelAsync(bo);
        TestContext.Out.WriteLine($"Ada heard by Bo: {afterRestart:F1} dBFS after her stream restarted, {afterReconnect:F1} dBFS after the reconnect, {atOne:F1} dBFS at volume 1");
        Assert.Multiple(() =>
        {
            Assert.That(afterRestart, Is.LessThan(-60));
            Assert.That(afterReconnect, Is.LessThan(-60));
            Assert.That(atOne, Is.GreaterThan(-45));
        });
    }

    // Frames of Ada's current stream the page has received.
    private static string Received(string name) =>
        $"(room.getStats().streams.filter((s) => room.participants.get(s.participantId)?.name === '{name}').reduce((n, s) => n + s.received, 0))";

    // What the page plays over the next 100 frames of Ada's, as an RMS level in dBFS.
    private static async Task<double> HeardLevelAsync(IPage page)
    {
        double before = await page.EvaluateAsync<double>($"() => {{ const room = window.wsaudioRoom; return {Received("Ada")}; }}");
        await WaitForRoomAsync(page, $"{Received("Ada")} >= {before + 25}");
        await page.EvaluateAsync("() => window.wsaudioRoom.startRecording()");
        await WaitForRoomAsync(page, $"{Received("Ada")} >= {before + 125}");
        float[] heard = await StopRecordingAsync(page);
        double sum = heard.Sum(s => (double)s * s);
        double rms = Math.Sqrt(sum / Math.Max(1, heard.Length));
        return rms > 0 ? 20 * Math.Log10(rms) : -120;
    }

    private async Task<IPage> JoinAsync(string name, string room, Uri? server = null)
    {
        var page = await OpenAsync(new Uri(server ?? Http, "/").ToString());
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#room").FillAsync(room);
        await page.Locator("#join").ClickAsync();
        await Assertions.Expect(page.Locator("#call")).ToBeVisibleAsync();
        await WaitForRoomAsync(page, "room.getStats().framesSent > 0");
        return page;
    }
}
