using System.Net.WebSockets;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>With a token key configured, nobody joins without a valid token for the room, and grants decide roles.</summary>
public sealed class AccessTests : RelayFixture
{
    private BackgroundRoom _background = null!;

    private protected override string[] ServerArguments => Tokens.ServerArguments;

    [OneTimeSetUp]
    public async Task StartBackgroundRoom() => _background = await BackgroundRoom.StartAsync(Url, "background", Tokens.For("background"));

    [OneTimeTearDown]
    public async Task StopBackgroundRoom() => await _background.DisposeAsync();

    [TearDown]
    public async Task BackgroundRoomKeptStreaming() => await _background.AssertFlowingAsync();

    [Test]
    public async Task Join_WithoutToken_IsRefusedAndClosed() =>
        await ExpectRefusedAsync("vault", null, ParticipantRole.Listener, ErrorCodes.TokenRequired);

    [Test]
    public async Task Join_WithExpiredToken_IsRefused() =>
        await ExpectRefusedAsync("vault", Tokens.For("vault", ttl: TimeSpan.FromMinutes(-5)), ParticipantRole.Listener, ErrorCodes.TokenExpired);

    [Test]
    public async Task Join_WithForgedToken_IsRefused() =>
        await ExpectRefusedAsync("vault", Tokens.For("vault", key: Tokens.WrongKey), ParticipantRole.Listener, ErrorCodes.TokenInvalid);

    [Test]
    public async Task Join_WithGarbageToken_IsRefused() =>
        await ExpectRefusedAsync("vault", "not.a.token", ParticipantRole.Listener, ErrorCodes.TokenInvalid);

    [Test]
    public async Task Join_WithTokenForAnotherRoom_IsRefused() =>
        await ExpectRefusedAsync("vault", Tokens.For("lobby"), ParticipantRole.Listener, ErrorCodes.TokenWrongRoom);

    [Test]
    public async Task Join_AsSpeakerWithListenerToken_IsForbidden() =>
        await ExpectRefusedAsync("vault", Tokens.For("vault", grants: "subscribe"), ParticipantRole.Speaker, ErrorCodes.Forbidden);

    [Test]
    public async Task Join_AsTapWithListenerToken_IsForbidden() =>
        await ExpectRefusedAsync("vault", Tokens.For("vault", grants: "subscribe"), ParticipantRole.Tap, ErrorCodes.Forbidden);

    [Test]
    public async Task Join_AsListenerWithPublishOnlyToken_IsForbidden() =>
        await ExpectRefusedAsync("vault", Tokens.For("vault", grants: "publish"), ParticipantRole.Listener, ErrorCodes.Forbidden);

    [Test]
    public async Task Join_WithValidTokens_AdmitsEachRoleItsGrantsAllow()
    {
        await using var listener = await TestClient.ConnectAsync(Url);
        await using var broadcaster = await TestClient.ConnectAsync(Url);

        var listening = await listener.JoinAsync("vault", ParticipantRole.Listener, token: Tokens.For("vault", grants: "subscribe"));
        var broadcasting = await broadcaster.JoinAsync("vault", ParticipantRole.Broadcaster, token: Tokens.For("vault", grants: "publish", name: "Studio A"));

        Assert.That(listening.Room, Is.EqualTo("vault"));
        Assert.That(broadcasting.Participants.Single(p => p.Id == broadcasting.ParticipantId).Name, Is.EqualTo("Studio A"), "the token's name wins");
    }

    [Test]
    public async Task Join_TokenSignedWithPreviousKey_IsStillAccepted()
    {
        await using var client = await TestClient.ConnectAsync(Url);

        var joined = await client.JoinAsync("rotating", token: Tokens.For("rotating", key: Tokens.PreviousKey));

        Assert.That(joined.Room, Is.EqualTo("rotating"));
    }

    [TestCase("team-*", "team-red", true)]
    [TestCase("team-*", "teammate", false)]
    [TestCase("*", "anything", true)]
    public async Task Join_RoomPattern_AdmitsMatchingRoomsOnly(string pattern, string room, bool admitted)
    {
        await using var client = await TestClient.ConnectAsync(Url);

        await client.SendAsync(new JoinMessage { Room = room, Role = ParticipantRole.Listener, Token = Tokens.For(pattern) });

        if (admitted)
        {
            Assert.That((await client.NextAsync<JoinedMessage>()).Room, Is.EqualTo(room));
        }
        else
        {
            Assert.That((await client.NextAsync<ErrorMessage>()).Code, Is.EqualTo(ErrorCodes.TokenWrongRoom));
        }
    }

    [Test]
    public async Task Moderate_HugeParticipantIdWithEscapes_IsRefusedBrieflyAndLoggedEscaped()
    {
        await using var admin = await TestClient.ConnectAsync(Url);
        await admin.JoinAsync("stage-log", ParticipantRole.Listener, token: Tokens.For("stage-log", "subscribe,admin"));
        int mark = Server.Logs.Entries.Count;
        string id = "\u001b[2J" + new string('p', 10_000);

        await admin.SendAsync(new ModerateMessage { Action = ModerateAction.Remove, ParticipantId = id });
        var refusal = await admin.ExpectAsync<ErrorMessage>();

        var logged = Server.Logs.Entries.Skip(mark).Single(e => e.Message.Contains(ErrorCodes.UnknownParticipant, StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(refusal.Code, Is.EqualTo(ErrorCodes.UnknownParticipant));
            Assert.That(refusal.Message.Length, Is.LessThan(200), "the answer does not echo 10,000 characters");
            Assert.That(logged.Message, Does.Not.Contain("\u001b").And.Contain(@"\u001b"));
            Assert.That(logged.Message.Length, Is.LessThan(400));
        });
    }

    [Test]
    public async Task Moderate_AdminMutes_FramesStopAndOnlyAnAdminCanUnmute()
    {
        await using var admin = await TestClient.ConnectAsync(Url);
        await admin.JoinAsync("stage", ParticipantRole.Listener, token: Tokens.For("stage", "subscribe,admin"));
        await using var speaker = await TestClient.ConnectAsync(Url);
        var joined = await speaker.JoinAsync("stage", token: Tokens.For("stage"));

        await admin.SendAsync(new ModerateMessage { Action = ModerateAction.Mute, ParticipantId = joined.ParticipantId });
        var muted = await speaker.ExpectAsync<ParticipantMutedMessage>();
        await speaker.SendBinaryAsync(Frames.Audio(joined.StreamId!.Value, 0, Frames.Payload(0)));
        await speaker.SendAsync(new MuteMessage { Muted = false });
        var refusal = await speaker.ExpectAsync<ErrorMessage>();

        Assert.That((muted.ParticipantId, muted.Muted, muted.ByAdmin), Is.EqualTo((joined.ParticipantId, true, (bool?)true)));
        Assert.That(refusal.Code, Is.EqualTo(ErrorCodes.MutedByAdmin));
        await admin.SendAsync(new ModerateMessage { Action = ModerateAction.Unmute, ParticipantId = joined.ParticipantId });
        await speaker.ExpectAsync<ParticipantMutedMessage>(m => !m.Muted);
        await speaker.SendBinaryAsync(Frames.Audio(joined.StreamId!.Value, 1, Frames.Payload(1)));
        Assert.That(Frames.SequenceOf(await admin.NextAudioAsync()), Is.EqualTo(1), "frame 0 was sent while muted by the admin");
    }

    [Test]
    public async Task Moderate_AdminRemoves_TargetIsClosedWith4003AndOthersSeeRemoved()
    {
        await using var admin = await TestClient.ConnectAsync(Url);
        await admin.JoinAsync("court", ParticipantRole.Listener, token: Tokens.For("court", "subscribe,admin"));
        await using var target = await TestClient.ConnectAsync(Url);
        var joined = await target.JoinAsync("court", token: Tokens.For("court"));
        await admin.ExpectAsync<ParticipantJoinedMessage>();

        await admin.SendAsync(new ModerateMessage { Action = ModerateAction.Remove, ParticipantId = joined.ParticipantId });

        var left = await admin.ExpectAsync<ParticipantLeftMessage>();
        Assert.That((left.ParticipantId, left.Reason), Is.EqualTo((joined.ParticipantId, LeaveReason.Removed)));
        Assert.That((await target.ExpectAsync<ErrorMessage>()).Code, Is.EqualTo(ErrorCodes.Removed));
        Assert.That((await target.Closed.WaitAsync(Timeouts.Event)).Status, Is.EqualTo((WebSocketCloseStatus)CloseCodes.Removed));
    }

    [Test]
    public async Task Moderate_WithoutAdminGrant_IsForbiddenAndChangesNothing()
    {
        await using var user = await TestClient.ConnectAsync(Url);
        await user.JoinAsync("square", token: Tokens.For("square"));
        await using var other = await TestClient.ConnectAsync(Url);
        var joined = await other.JoinAsync("square", token: Tokens.For("square"));

        await user.SendAsync(new ModerateMessage { Action = ModerateAction.Remove, ParticipantId = joined.ParticipantId });

        Assert.That((await user.ExpectAsync<ErrorMessage>()).Code, Is.EqualTo(ErrorCodes.Forbidden));
        Assert.That(Server.Rooms.Find("square")!.MemberCount, Is.EqualTo(2));
    }

    private async Task ExpectRefusedAsync(string room, string? token, ParticipantRole role, string code)
    {
        await using var client = await TestClient.ConnectAsync(Url);

        await client.SendAsync(new JoinMessage { Room = room, Role = role, Token = token });

        var error = await client.NextAsync<ErrorMessage>();
        var closed = await client.Closed.WaitAsync(Timeouts.Event);
        Assert.That(error.Code, Is.EqualTo(code), error.Message);
        Assert.That(closed.Status, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(Server.Rooms.Find(room)?.MemberCount ?? 0, Is.Zero, "nobody got in");
    }
}
