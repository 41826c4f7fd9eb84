using System.Diagnostics;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Cluster;

/// <summary>Two server nodes and a real nats-server behave, for every client, like one server.</summary>
public sealed class ClusterTests
{
    private NatsServer _nats = null!;

    [OneTimeSetUp]
    public async Task StartNats() => _nats = await NatsServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopNats() => await _nats.DisposeAsync();

    [Test]
    public async Task Broadcast_OnNodeA_ReachesListenersOnBothNodesOnceInOrderAndByteIdentical()
    {
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        await using var onB = await TestClient.ConnectAsync(b.WebSocketUri);
        await onB.JoinAsync("cross", ParticipantRole.Listener);
        await using var onA = await TestClient.ConnectAsync(a.WebSocketUri);
        await onA.JoinAsync("cross", ParticipantRole.Listener);
        await using var broadcaster = await TestClient.ConnectAsync(a.WebSocketUri);
        var joined = await broadcaster.JoinAsync("cross", ParticipantRole.Broadcaster, "Radio A");
        var seenOnB = await onB.ExpectAsync<ParticipantJoinedMessage>(m => m.Participant.Id == joined.ParticipantId);

        var sent = new List<byte[]>();
        for (uint i = 0; i < 100; i++)
        {
            var frame = Frames.Audio(joined.StreamId!.Value, i, Frames.Payload(i, 60 + (int)(i % 40)));
            sent.Add(frame);
            await broadcaster.SendBinaryAsync(frame);
            Assert.That(await onB.NextAudioAsync(), Is.EqualTo(frame), $"frame {i} on node B");
            Assert.That(await onA.NextAudioAsync(), Is.EqualTo(frame), $"frame {i} on node A");
        }

        Assert.That(seenOnB.Participant.Name, Is.EqualTo("Radio A"));
        Assert.That(onB.Arrivals.OfType<StreamStartedMessage>().Single().StreamId, Is.EqualTo(joined.StreamId), "node B's listener saw the stream go live");
        var arrivals = onB.Arrivals.ToList();
        Assert.That(arrivals.FindIndex(m => m is StreamStartedMessage), Is.LessThan(arrivals.FindIndex(m => m is byte[])), "LIVE before the first frame");
        await AssertNoMoreAudioAsync(onA);
        await AssertNoMoreAudioAsync(onB);
    }

    [Test]
    public async Task Join_OnNodeB_ToARoomLiveOnNodeA_LearnsThePresenceAndHearsIt()
    {
        await using var a = await NodeAsync("a2");
        await using var b = await NodeAsync("b2");
        await using var broadcaster = await TestClient.ConnectAsync(a.WebSocketUri);
        var joined = await broadcaster.JoinAsync("late-cross", ParticipantRole.Broadcaster);
        await broadcaster.SendBinaryAsync(Frames.Audio(joined.StreamId!.Value, 0, Frames.Payload(0)));
        await broadcaster.ExpectAsync<StreamStartedMessage>();

        await using var late = await TestClient.ConnectAsync(b.WebSocketUri);
        var lateJoined = await late.JoinAsync("late-cross", ParticipantRole.Listener);

        // Node B learns node A's state when it attaches the room; it arrives in 'joined' or just after it.
        if (lateJoined.Streams.All(s => s.StreamId != joined.StreamId))
        {
            await late.ExpectAsync<StreamStartedMessage>(s => s.StreamId == joined.StreamId);
        }

        Assert.That(lateJoined.Participants.Any(p => p.Id == joined.ParticipantId) || late.Arrivals.OfType<ParticipantJoinedMessage>().Any(p => p.Participant.Id == joined.ParticipantId), Is.True);
        await broadcaster.SendBinaryAsync(Frames.Audio(joined.StreamId!.Value, 1, Frames.Payload(1)));
        // Frame 0 may still have been on its way through the bus when node B subscribed; it may arrive, but first.
        var heard = await late.NextAudioAsync();
        if (Frames.SequenceOf(heard) == 0)
        {
            heard = await late.NextAudioAsync();
        }

        Assert.That(Frames.SequenceOf(heard), Is.EqualTo(1));
        await broadcaster.SendAsync(new LeaveMessage());
        Assert.That((await late.ExpectAsync<StreamStoppedMessage>()).Reason, Is.EqualTo(StreamStopReason.Left));
        Assert.That((await late.ExpectAsync<ParticipantLeftMessage>()).ParticipantId, Is.EqualTo(joined.ParticipantId));
    }

    [Test]
    public async Task Audience_SplitOverTwoNodes_IsCountedWholeOnEach()
    {
        string[] presence = ["--Presence:ListedListeners=0", "--Presence:AudienceUpdateInterval=00:00:00.050", "--Presence:AudienceMemberUpdateInterval=00:00:00.050"];
        await using var a = await NodeAsync("a4", presence);
        await using var b = await NodeAsync("b4", presence);
        await using var broadcaster = await TestClient.ConnectAsync(a.WebSocketUri);
        await broadcaster.JoinAsync("split-hall", ParticipantRole.Broadcaster);
        var onA = new List<TestClient>();
        var onB = new List<TestClient>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                onA.Add(await TestClient.ConnectAsync(a.WebSocketUri));
                await onA[^1].JoinAsync("split-hall", ParticipantRole.Listener);
            }

            for (int i = 0; i < 3; i++)
            {
                onB.Add(await TestClient.ConnectAsync(b.WebSocketUri));
                await onB[^1].JoinAsync("split-hall", ParticipantRole.Listener);
            }

            Assert.That((await broadcaster.ExpectAsync<AudienceMessage>(m => m.Count == 5)).Count, Is.EqualTo(5), "node A counts node B's audience");
            Assert.That((await onB[0].ExpectAsync<AudienceMessage>(m => m.Count == 5)).Count, Is.EqualTo(5), "and node B node A's");

            // A node that goes away takes its share of the audience with it.
            await b.DisposeAsync();
            Assert.That((await broadcaster.ExpectAsync<AudienceMessage>(m => m.Count == 2)).Count, Is.EqualTo(2));
            Assert.That(broadcaster.Arrivals.OfType<ParticipantJoinedMessage>(), Is.Empty, "no listener was announced");
        }
        finally
        {
            foreach (var client in onA.Concat(onB))
            {
                await client.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Record_OnNodeA_MembersOnNodeBAreToldWhenItStartsWhenTheyJoinAndWhenItEnds()
    {
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "recordings-" + Guid.NewGuid().ToString("N")[..8]);
        await using var a = await NodeAsync("a8", [.. Tokens.ServerArguments, $"--Recording:Folder={folder}"]);
        var b = await NodeAsync("b8", Tokens.ServerArguments);
        try
        {
            await using var admin = await TestClient.ConnectAsync(a.WebSocketUri);
            await admin.JoinAsync("rec-cross", ParticipantRole.Listener, token: Tokens.For("rec-cross", "subscribe,admin", "moderator"));
            await using var onB = await TestClient.ConnectAsync(b.WebSocketUri);
            var onBJoined = await onB.JoinAsync("rec-cross", ParticipantRole.Listener, token: Tokens.For("rec-cross", "subscribe", "bo"));
            await admin.ExpectAsync<ParticipantJoinedMessage>(m => m.Participant.Id == onBJoined.ParticipantId);

            await admin.SendAsync(new RecordMessage { Action = RecordAction.Start });
            var started = await admin.ExpectAsync<RecordingMessage>(m => m.Active);
            var toldOnB = await onB.ExpectAsync<RecordingMessage>();
            await using var late = await TestClient.ConnectAsync(b.WebSocketUri);
            await late.JoinAsync("rec-cross", ParticipantRole.Listener, token: Tokens.For("rec-cross", "subscribe", "cy"));
            var toldLate = await late.ExpectAsync<RecordingMessage>();
            int lateJoinedAt = late.Arrivals.ToList().FindIndex(m => m is JoinedMessage);

            await admin.SendAsync(new RecordMessage { Action = RecordAction.Stop });
            var stoppedOnB = await onB.ExpectAsync<RecordingMessage>(m => !m.Active);

            // A recording whose node is gone is over for the others too.
            await admin.SendAsync(new RecordMessage { Action = RecordAction.Start });
            var again = await onB.ExpectAsync<RecordingMessage>(m => m.Active && m.Id != started.Id);
            await a.DisposeAsync();
            var gone = await onB.ExpectAsync<RecordingMessage>(m => !m.Active && m.Id == again.Id);

            Assert.Multiple(() =>
            {
                Assert.That((toldOnB.Active, toldOnB.Id), Is.EqualTo((true, started.Id)), "a member on the other node is told it is recorded");
                Assert.That((toldLate.Active, toldLate.Id), Is.EqualTo((true, started.Id)), "and so is one who joins there while it runs");
                Assert.That(late.Arrivals[lateJoinedAt + 1], Is.SameAs(toldLate), "right after its 'joined'");
                Assert.That(stoppedOnB.Id, Is.EqualTo(started.Id));
                Assert.That(gone.Active, Is.False);
            });
        }
        finally
        {
            await b.DisposeAsync();
        }
    }

    [Test]
    public async Task Healthz_WithBroker_ReportsItConnected()
    {
        await using var node = await NodeAsync("h");
        using var http = new HttpClient { BaseAddress = node.HttpUri };

        string health = await http.GetStringAsync(new Uri("/healthz", UriKind.Relative));

        Assert.That(health, Does.Contain("\"broker\":\"connected\"").And.Contain("\"status\":\"ok\""));
        string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(metrics, Does.Contain("wsaudio_broker_connected 1").And.Contain("wsaudio_broker_publish_dropped_total 0"));
    }

    [Test]
    public async Task NodeDies_ItsParticipantsLeaveElsewhere_AndItsClientsMoveToAnotherNodeAndResume()
    {
        await using var a = await ServerProcess.StartAsync("--broker", _nats.Url, "--Broker:NodeId=doomed");
        await WaitForBrokerAsync(a.HttpUri, "doomed");
        await using var b = await NodeAsync("survivor");
        await using var listener = await TestClient.ConnectAsync(b.WebSocketUri);
        await listener.JoinAsync("move", ParticipantRole.Listener);
        await using var client = new WsAudio.Client.Connection.RoomClient(new WsAudio.Client.Connection.RoomClientOptions
        {
            Url = a.WebSocketUri,
            AlternateUrls = [b.WebSocketUri],
            Room = "move",
            Role = ParticipantRole.Broadcaster,
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
        });
        await client.ConnectAsync();
        string firstId = client.ParticipantId!;
        using var sending = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            // Pacing only: one frame every 20 ms, as a live sender would.
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            uint timestamp = 0;
            try
            {
                while (await timer.WaitForNextTickAsync(sending.Token))
                {
                    await client.SendAudioAsync(Frames.Payload(timestamp), timestamp += 960, 0);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await listener.ExpectAsync<StreamStartedMessage>(s => s.ParticipantId == firstId);
        await listener.NextAudioAsync();

        a.Kill();

        // The client moves within a fraction of a second; the dead node's participant is dropped when its
        // heartbeats have been missing for the node timeout (3 s). So the new stream may start before the old leaves.
        var stopped = await listener.ExpectAsync<StreamStoppedMessage>(s => s.ParticipantId == firstId);
        var left = await listener.ExpectAsync<ParticipantLeftMessage>(l => l.ParticipantId == firstId);
        var resumed = listener.Arrivals.OfType<StreamStartedMessage>().FirstOrDefault(s => s.ParticipantId != firstId)
            ?? await listener.ExpectAsync<StreamStartedMessage>(s => s.ParticipantId != firstId);
        await sending.CancelAsync();
        await sender;

        Assert.Multiple(() =>
        {
            Assert.That(stopped.Reason, Is.EqualTo(StreamStopReason.Disconnected));
            Assert.That(left.Reason, Is.EqualTo(LeaveReason.Disconnected));
            Assert.That(client.CurrentUrl, Is.EqualTo(b.WebSocketUri), "the client moved to the surviving node");
            Assert.That(client.Reconnects, Is.EqualTo(1));
            Assert.That(resumed.ParticipantId, Is.EqualTo(client.ParticipantId));
        });
    }

    [Test]
    public async Task NatsRestarts_NodesServeLocalRoomsMeanwhile_AndRecoverByThemselves()
    {
        // Nodes in processes of their own, as deployed: each has its own NATS client, reconnecting on its own.
        await using var nats = await NatsServer.StartAsync();
        await using var a = await ServerProcess.StartAsync("--broker", nats.Url, "--Broker:NodeId=ra");
        await using var b = await ServerProcess.StartAsync("--broker", nats.Url, "--Broker:NodeId=rb");
        await WaitForBrokerAsync(a.HttpUri, "ra");
        await WaitForBrokerAsync(b.HttpUri, "rb");
        using var http = new HttpClient { BaseAddress = b.HttpUri };

        await nats.StopAsync();

        await NodeHealth.WaitForAsync(b.HttpUri, "\"status\":\"degraded\"");
        Assert.That(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), Does.Contain("wsaudio_broker_connected 0"));
        await using (var localListener = await TestClient.ConnectAsync(b.WebSocketUri))
        await using (var localSpeaker = await TestClient.ConnectAsync(b.WebSocketUri))
        {
            await localListener.JoinAsync("local-only", ParticipantRole.Listener);
            uint stream = (await localSpeaker.JoinAsync("local-only")).StreamId!.Value;
            await localSpeaker.SendBinaryAsync(Frames.Audio(stream, 0, Frames.Payload(0)));
            Assert.That(Frames.SequenceOf(await localListener.NextAudioAsync()), Is.Zero, "local rooms keep working without NATS");
        }

        await nats.RestartAsync();

        await WaitForBrokerAsync(b.HttpUri, "rb (again)");
        await WaitForBrokerAsync(a.HttpUri, "ra (again)");
        await using var listener = await TestClient.ConnectAsync(b.WebSocketUri);
        await listener.JoinAsync("after", ParticipantRole.Listener);
        await using var broadcaster = await TestClient.ConnectAsync(a.WebSocketUri);
        var joined = await broadcaster.JoinAsync("after", ParticipantRole.Broadcaster);
        await EventuallyAsync(async () =>
        {
            // Node A may still be reconnecting; frames sent meanwhile are lost, as live audio would be.
            await broadcaster.SendBinaryAsync(Frames.Audio(joined.StreamId!.Value, 0, Frames.Payload(0)));
            return listener.PendingAudio > 0 || listener.Arrivals.OfType<byte[]>().Any();
        }, "cross-node audio after NATS came back");
    }

    // For states reached by other processes (a reconnecting client library): checked every 100 ms, within a bound.
    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var limit = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.That(limit.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    // A node joins the cluster in the background after it starts; like a load balancer's health check, wait for it.
    private async Task<RelayServer> NodeAsync(string name, params string[] extra)
    {
        var node = await RelayServer.StartAsync(["--broker", _nats.Url, $"--Broker:NodeId={name}", .. extra]);
        await WaitForBrokerAsync(node.HttpUri, name);
        return node;
    }

    private static Task WaitForBrokerAsync(Uri node, string name) => NodeHealth.BrokerAsync(node, "connected", () => $"(node {name})");

    // Nothing is echoed: a ping answered after the last frame proves no duplicate was queued before it.
    private static async Task AssertNoMoreAudioAsync(TestClient client)
    {
        await client.SendAsync(new PingMessage { T = 9 });
        await client.ExpectAsync<PongMessage>(p => p.T == 9);
        Assert.That(client.PendingAudio, Is.Zero, "no frame arrived twice");
    }
}
