using Microsoft.Playwright;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Browser;

/// <summary>The server's pages show, for as long as it lasts, that the room is recorded.</summary>
public sealed class RecordingNoticeTests : BrowserFixture
{
    [Test]
    public async Task Record_StartedAndStopped_EveryPageInTheRoomShowsIt()
    {
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "recordings-" + Guid.NewGuid().ToString("N")[..8]);
        await using var server = await RelayServer.StartAsync([.. Tokens.ServerArguments, $"--Recording:Folder={folder}"]);
        var listener = await OpenAsync($"/listen/rec-hall?token={Tokens.For("rec-hall", "subscribe")}", server: server.HttpUri);
        await Assertions.Expect(listener.Locator("#state")).ToHaveTextAsync("Connected");
        await Assertions.Expect(listener.Locator("#recording")).ToBeHiddenAsync();
        await using var admin = await TestClient.ConnectAsync(server.WebSocketUri);
        await admin.JoinAsync("rec-hall", ParticipantRole.Listener, token: Tokens.For("rec-hall", "subscribe,admin", "moderator"));

        await admin.SendAsync(new RecordMessage { Action = RecordAction.Start });
        await admin.ExpectAsync<RecordingMessage>(m => m.Active);

        await Assertions.Expect(listener.Locator("#recording")).ToBeVisibleAsync();
        await Assertions.Expect(listener.Locator("#recording")).ToHaveTextAsync("Recorded");
        // One who comes in while it runs is told at once, with the room.
        var speaker = await OpenAsync($"/?room=rec-hall&token={Tokens.For("rec-hall", identity: "ada")}", server: server.HttpUri);
        await speaker.Locator("#name").FillAsync("Ada");
        await speaker.Locator("#join").ClickAsync();
        await Assertions.Expect(speaker.Locator("#call")).ToBeVisibleAsync();
        await Assertions.Expect(speaker.Locator("#recording")).ToBeVisibleAsync();
        await ScreenshotAsync(speaker, "voice-room-recorded");

        await admin.SendAsync(new RecordMessage { Action = RecordAction.Stop });

        await Assertions.Expect(listener.Locator("#recording")).ToBeHiddenAsync();
        await Assertions.Expect(speaker.Locator("#recording")).ToBeHiddenAsync();
        Assert.That(await speaker.EvaluateAsync<bool>("() => window.wsaudioRoom.recorded"), Is.False);
    }
}
