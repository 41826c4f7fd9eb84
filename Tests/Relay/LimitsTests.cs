using System.Net;
using System.Net.WebSockets;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>Each limit refuses with its code while an unrelated room on the same server keeps streaming.</summary>
public sealed class LimitsTests
{
    [Test]
    public async Task Sender_OverFramesPerSecond_IsClosedAsRateLimited()
    {
        await using var server = await StartAsync("--Limits:MaxFramesPerSecond=20");
        await using var background = await BackgroundRoom.StartAsync(server.WebSocketUri, "background");
        await using var flood = await TestClient.ConnectAsync(server.WebSocketUri);
        uint stream = (await flood.JoinAsync("flood")).StreamId!.Value;

        for (uint i = 0; i < 60 && await flood.TrySendBinaryAsync(Frames.Audio(stream, i, Frames.Payload(i))); i++)
        {
        }

        await ExpectClosedAsync(flood, ErrorCodes.RateLimited, WebSocketCloseStatus.PolicyViolation);
        await background.AssertFlowingAsync();
    }

    [Test]
    public async Task Sender_OverBytesPerSecond_IsClosedAsRateLimited()
    {
        await using var server = await StartAsync("--Limits:MaxBytesPerSecond=4000");
        await using var background = await BackgroundRoom.StartAsync(server.WebSocketUri, "background");
        await using var flood = await TestClient.ConnectAsync(server.WebSocketUri);
        uint stream = (await flood.JoinAsync("flood")).StreamId!.Value;

        for (uint i = 0; i < 20 && await flood.TrySendBinaryAsync(Frames.Audio(stream, i, Frames.Payload(i, 1000))); i++)
        {
        }

        await ExpectClosedAsync(flood, ErrorCodes.RateLimited, WebSocketCloseStatus.PolicyViolation);
        await background.AssertFlowingAsync();
    }

    [Test]
    public async Task Handshake_OverConnectionsPerAddress_IsRefusedWith429()
    {
        // The background room's two connections count too: three in all from 127.0.0.1.
        await using var server = await StartAsync("--Limits:MaxConnectionsPerIp=3");
        await using var background = await BackgroundRoom.StartAsync(server.WebSocketUri, "background");
        await using var third = await TestClient.ConnectAsync(server.WebSocketUri);
        using var fourth = new ClientWebSocket();
        fourth.Options.AddSubProtocol(ProtocolConstants.Subprotocol);
        fourth.Options.CollectHttpResponseDetails = true;

        Assert.That(async () => await fourth.ConnectAsync(server.WebSocketUri, CancellationToken.None), Throws.InstanceOf<WebSocketException>());
        Assert.That(fourth.HttpStatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(server.Logs.Entries.Any(e => e.Message.Contains(ErrorCodes.TooManyConnections, StringComparison.Ordinal)), Is.True);
        Assert.That((await third.JoinAsync("still-fine")).Room, Is.EqualTo("still-fine"));
        await background.AssertFlowingAsync();
    }

    [Test]
    public async Task Join_FullRoom_IsRefusedAndTheConnectionStaysUsable()
    {
        await using var server = await StartAsync("--Limits:MaxParticipantsPerRoom=2");
        await using var background = await BackgroundRoom.StartAsync(server.WebSocketUri, "background");
        await using var late = await TestClient.ConnectAsync(server.WebSocketUri);

        await late.SendAsync(new JoinMessage { Room = "background", Role = ParticipantRole.Listener });

        Assert.That((await late.NextAsync<ErrorMessage>()).Code, Is.EqualTo(ErrorCodes.RoomFull));
        Assert.That((await late.JoinAsync("elsewhere")).Room, Is.EqualTo("elsewhere"));
        await background.AssertFlowingAsync();
    }

    [Test]
    public async Task Join_NewRoomPastTheRoomLimit_IsRefused()
    {
        await using var server = await StartAsync("--Limits:MaxRooms=2");
        await using var background = await BackgroundRoom.StartAsync(server.WebSocketUri, "background");
        await using var second = await TestClient.ConnectAsync(server.WebSocketUri);
        await second.JoinAsync("second");
        await using var third = await TestClient.ConnectAsync(server.WebSocketUri);

        await third.SendAsync(new JoinMessage { Room = "third" });

        Assert.That((await third.NextAsync<ErrorMessage>()).Code, Is.EqualTo(ErrorCodes.TooManyRooms));
        Assert.That((await third.JoinAsync("second")).Room, Is.EqualTo("second"), "existing rooms still take members");
        await background.AssertFlowingAsync();
    }

    [Test]
    public async Task Connection_WithoutJoin_IsClosedAfterTheJoinTimeout()
    {
        await using var server = await StartAsync("--Limits:JoinTimeout=00:00:00.500");
        await using var background = await BackgroundRoom.StartAsync(server.WebSocketUri, "background");
        await using var lurker = await TestClient.ConnectAsync(server.WebSocketUri);

        await ExpectClosedAsync(lurker, ErrorCodes.JoinTimeout, (WebSocketCloseStatus)CloseCodes.Timeout);
        await background.AssertFlowingAsync();
    }

    [Test]
    public async Task Connection_SilentPastTheIdleTimeout_IsClosedButOneThatPingsStays()
    {
        await using var server = await StartAsync("--Limits:IdleTimeout=00:00:01");
        await using var silent = await TestClient.ConnectAsync(server.WebSocketUri);
        await silent.JoinAsync("quiet", ParticipantRole.Listener);
        await using var pinger = await TestClient.ConnectAsync(server.WebSocketUri);
        await pinger.JoinAsync("quiet", ParticipantRole.Listener);

        // The pinger answers every pong with another ping, until the silent one has been closed.
        var pinging = Task.Run(async () =>
        {
            while (!silent.Closed.IsCompleted)
            {
                await pinger.SendAsync(new PingMessage { T = 1 });
                await pinger.ExpectAsync<PongMessage>();
                await Task.WhenAny(silent.Closed, Task.Delay(200));
            }
        });

        await ExpectClosedAsync(silent, ErrorCodes.IdleTimeout, (WebSocketCloseStatus)CloseCodes.Timeout);
        await pinging;
        Assert.That(pinger.Closed.IsCompleted, Is.False);
    }

    [Test]
    public async Task Listener_QueueFullForTooLong_IsClosedAsSlowWhileOthersCarryOn()
    {
        // The broadcaster floods on purpose, so the per-sender rate limits are off here.
        await using var server = await StartAsync("--queue-depth", "8", "--Limits:SlowConsumerTimeout=00:00:00.300", "--Limits:MaxBytesPerSecond=0", "--Limits:MaxFramesPerSecond=0", "--Relay:CloseTimeout=00:00:00.300");
        await using var stalled = await TestClient.ConnectAsync(server.WebSocketUri);
        await stalled.JoinAsync("slow", ParticipantRole.Listener);
        await using var healthy = await TestClient.ConnectAsync(server.WebSocketUri);
        await healthy.JoinAsync("slow", ParticipantRole.Listener);
        await using var broadcaster = await TestClient.ConnectAsync(server.WebSocketUri);
        var format = new AudioFormat { Codec = AudioCodec.Pcm16, SampleRate = 48000, Channels = 2 };
        uint stream = (await broadcaster.JoinAsync("slow", ParticipantRole.Broadcaster, format: format)).StreamId!.Value;
        stalled.PauseReading();

        uint sent = 0;
        while (!healthy.Arrivals.OfType<ParticipantLeftMessage>().Any())
        {
            Assert.That(sent, Is.LessThan(20_000), "the stalled listener was never closed");
            await broadcaster.SendBinaryAsync(Frames.Audio(stream, sent, new byte[8000], AudioCodec.Pcm16));
            Assert.That(Frames.SequenceOf(await healthy.NextAudioAsync()), Is.EqualTo(sent));
            sent++;
        }

        // Its socket was too full even for the close frame, so the server dropped the connection after the close timeout.
        stalled.ResumeReading();
        await stalled.Closed.WaitAsync(Timeouts.Event);
        Assert.That(server.Logs.Entries.Count(e => e.EventId.Id == 9), Is.EqualTo(1), "closed as slow, logged once");
        Assert.That(healthy.Arrivals.OfType<ParticipantLeftMessage>().Single().Reason, Is.EqualTo(LeaveReason.Disconnected));
    }

    [Test]
    public async Task Peer_NotAnsweringKeepAlivePings_IsDroppedAndItsRoomTold()
    {
        await using var server = await StartAsync("--Relay:KeepAliveInterval=00:00:00.200", "--Relay:KeepAliveTimeout=00:00:00.500");
        await using var dead = await TestClient.ConnectAsync(server.WebSocketUri);
        var deadJoined = await dead.JoinAsync("alive");
        await using var alive = await TestClient.ConnectAsync(server.WebSocketUri);
        await alive.JoinAsync("alive");

        // A client that stops reading its socket answers no WebSocket ping, like a vanished peer. A receive
        // already in flight still answers pings until a message completes it: the pong to this ping does.
        dead.PauseReading();
        await dead.SendAsync(new PingMessage { T = 0 });

        var left = await alive.ExpectAsync<ParticipantLeftMessage>();
        Assert.That((left.ParticipantId, left.Reason), Is.EqualTo((deadJoined.ParticipantId, LeaveReason.Disconnected)));
        await alive.SendAsync(new PingMessage { T = 1 });
        Assert.That((await alive.ExpectAsync<PongMessage>()).T, Is.EqualTo(1), "the live peer, which answers pings, is still connected");
    }

    [Test]
    public async Task Member_TogglingMuteInALoop_IsClosedAsRateLimitedAndTheRoomHearsOnlyTheFirstBurst()
    {
        await using var server = await StartAsync("--Limits:MaxControlMessagesPerSecond=10");
        await using var background = await BackgroundRoom.StartAsync(server.WebSocketUri, "background");
        await using var audience = await TestClient.ConnectAsync(server.WebSocketUri);
        await audience.JoinAsync("amplify", ParticipantRole.Listener);
        await using var toggler = await TestClient.ConnectAsync(server.WebSocketUri);
        await toggler.JoinAsync("amplify");

        int sent = 0;
        while (sent < 1_000 && await toggler.TrySendAsync(new MuteMessage { Muted = sent % 2 == 0 }))
        {
            sent++;
        }

        await ExpectClosedAsync(toggler, ErrorCodes.RateLimited, WebSocketCloseStatus.PolicyViolation);
        await audience.ExpectAsync<ParticipantLeftMessage>();
        Assert.That(audience.Arrivals.OfType<ParticipantMutedMessage>().Count(), Is.LessThanOrEqualTo(10), "the join used one of the burst; nothing past it was announced");
        await background.AssertFlowingAsync();
    }

    [Test]
    public async Task Connection_ThatLeftAndOnlyPings_IsClosedAfterTheJoinTimeout()
    {
        await using var server = await StartAsync("--Limits:JoinTimeout=00:00:00.500");
        await using var lingerer = await TestClient.ConnectAsync(server.WebSocketUri);
        await lingerer.JoinAsync("visit");
        await lingerer.SendAsync(new LeaveMessage());
        await lingerer.ExpectAsync<LeftMessage>();

        // Pings keep the idle timeout away, not the join timeout.
        for (int i = 0; !lingerer.Closed.IsCompleted && i < 100; i++)
        {
            if (!await lingerer.TrySendAsync(new PingMessage { T = i }))
            {
                break;
            }

            await Task.WhenAny(lingerer.Closed, Task.Delay(100));
        }

        await ExpectClosedAsync(lingerer, ErrorCodes.JoinTimeout, (WebSocketCloseStatus)CloseCodes.Timeout);
    }

    [Test]
    public async Task Sender_OfShortestOpusFrames_IsNotLimitedByTheDefaults()
    {
        // 2.5 ms frames: 400 a second. Three seconds of them, sent as fast as the socket takes them, stay within
        // the default limits' one-second burst plus their rate only if the limits admit 400 frames a second.
        await using var server = await StartAsync();
        await using var listener = await TestClient.ConnectAsync(server.WebSocketUri);
        await listener.JoinAsync("fast", ParticipantRole.Listener);
        await using var sender = await TestClient.ConnectAsync(server.WebSocketUri);
        uint stream = (await sender.JoinAsync("fast", ParticipantRole.Broadcaster)).StreamId!.Value;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        for (uint i = 0; i < 1_200; i++)
        {
            // Paced at 400 a second on average (pacing, not synchronisation: the check below awaits the frames).
            if (i % 40 == 0 && clock.Elapsed < TimeSpan.FromMilliseconds(i * 2.5))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(i * 2.5) - clock.Elapsed);
            }

            await sender.SendBinaryAsync(Frames.Audio(stream, i, new byte[120]));
        }

        for (uint i = 0; i < 1_200; i++)
        {
            Assert.That(Frames.SequenceOf(await listener.NextAudioAsync()), Is.EqualTo(i));
        }

        Assert.That(sender.Closed.IsCompleted, Is.False);
    }

    [Test]
    public async Task Admin_RemovingItselfWhileAlone_LeavesNoRoomBehind()
    {
        await using var server = await StartAsync([.. Tokens.ServerArguments, "--Limits:MaxRooms=1"]);
        for (int i = 0; i < 3; i++)
        {
            await using var admin = await TestClient.ConnectAsync(server.WebSocketUri);
            var joined = await admin.JoinAsync($"alone-{i}", token: Tokens.For("*", grants: "publish,subscribe,admin"));

            await admin.SendAsync(new ModerateMessage { Action = ModerateAction.Remove, ParticipantId = joined.ParticipantId });

            Assert.That((await admin.ExpectAsync<ErrorMessage>()).Code, Is.EqualTo(ErrorCodes.Removed));
            Assert.That((await admin.Closed.WaitAsync(Timeouts.Event)).Status, Is.EqualTo((WebSocketCloseStatus)CloseCodes.Removed));
            Assert.That(server.Rooms.Count, Is.Zero, "the emptied room was closed, so the next one fits under MaxRooms=1");
        }
    }

    [TestCase("--Limits:MaxRooms=-1", "Limits:MaxRooms")]
    [TestCase("--Limits:MaxControlMessagesPerSecond=-1", "Limits:MaxControlMessagesPerSecond")]
    [TestCase("--Network:RequestHeadersTimeout=00:00:00.100", "Network:RequestHeadersTimeout")]
    [TestCase("--Limits:JoinTimeout=00:00:00.010", "Limits:JoinTimeout")]
    public void Start_LimitOutOfRange_FailsNamingIt(string argument, string setting)
    {
        Assert.That(async () => await RelayServer.StartAsync(argument),
            Throws.InstanceOf<Microsoft.Extensions.Options.OptionsValidationException>().With.Message.Contains(setting));
    }

    private static Task<RelayServer> StartAsync(params string[] args) => RelayServer.StartAsync(args);

    private static async Task ExpectClosedAsync(TestClient client, string code, WebSocketCloseStatus status)
    {
        var error = await client.ExpectAsync<ErrorMessage>();
        var closed = await client.Closed.WaitAsync(Timeouts.Event);
        Assert.That(error.Code, Is.EqualTo(code), error.Message);
        Assert.That(closed.Status, Is.EqualTo(status));
    }
}
