using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>Large rooms: listeners beyond the listed ones are an audience, counted rather than announced.</summary>
public sealed class AudienceTests
{
    [Test]
    public async Task Join_BeyondTheListedListeners_JoinsTheAudienceUnannounced()
    {
        await using var server = await RelayServer.StartAsync("--Presence:ListedListeners=2", "--Presence:AudienceUpdateInterval=00:00:00.050");
        await using var speaker = await TestClient.ConnectAsync(server.WebSocketUri);
        var speakerJoined = await speaker.JoinAsync("town-hall", ParticipantRole.Speaker, "Mayor");
        var listed = new List<TestClient>();
        var audience = new List<TestClient>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                var listener = await TestClient.ConnectAsync(server.WebSocketUri);
                listed.Add(listener);
                var joined = await listener.JoinAsync("town-hall", ParticipantRole.Listener, $"listed {i}");
                Assert.That((await speaker.NextAsync<ParticipantJoinedMessage>()).Participant.Id, Is.EqualTo(joined.ParticipantId));
                Assert.That(joined.Audience, Is.Null, "no audience yet");
            }

            var audienceIds = new List<string>();
            for (int i = 0; i < 3; i++)
            {
                var listener = await TestClient.ConnectAsync(server.WebSocketUri);
                audience.Add(listener);
                var joined = await listener.JoinAsync("town-hall", ParticipantRole.Listener, $"audience {i}");
                audienceIds.Add(joined.ParticipantId);
                Assert.Multiple(() =>
                {
                    Assert.That(joined.Participants.Select(p => p.Name), Is.EquivalentTo(new[] { "Mayor", "listed 0", "listed 1" }), "the listed members only");
                    Assert.That(joined.Audience, Is.EqualTo(i + 1), "the audience, this listener included");
                });
            }

            Assert.That((await speaker.ExpectAsync<AudienceMessage>(m => m.Count == 3)).Count, Is.EqualTo(3));

            // The audience hears the room like anyone else.
            await speaker.SendBinaryAsync(Frames.Audio(speakerJoined.StreamId!.Value, 0, Frames.Payload(0)));
            foreach (var member in audience.Concat(listed))
            {
                Assert.That(Frames.SequenceOf(await member.NextAudioAsync()), Is.EqualTo(0));
            }

            // An audience member leaving is a count; a listed one leaving is announced and frees its place.
            await audience[0].SendAsync(new LeaveMessage());
            await audience[0].ExpectAsync<LeftMessage>();
            Assert.That((await speaker.ExpectAsync<AudienceMessage>(m => m.Count == 2)).Count, Is.EqualTo(2));
            await listed[0].SendAsync(new LeaveMessage());
            await speaker.ExpectAsync<ParticipantLeftMessage>();
            await using var newcomer = await TestClient.ConnectAsync(server.WebSocketUri);
            var newcomerJoined = await newcomer.JoinAsync("town-hall", ParticipantRole.Listener, "newcomer");
            Assert.That((await speaker.ExpectAsync<ParticipantJoinedMessage>()).Participant.Id, Is.EqualTo(newcomerJoined.ParticipantId));

            var told = speaker.Arrivals.OfType<ControlMessage>().ToList();
            Assert.Multiple(() =>
            {
                Assert.That(told.OfType<ParticipantJoinedMessage>().Select(m => m.Participant.Id), Has.None.AnyOf(audienceIds));
                Assert.That(told.OfType<ParticipantLeftMessage>().Select(m => m.ParticipantId), Has.None.AnyOf(audienceIds));
                Assert.That(newcomerJoined.Audience, Is.EqualTo(2));
            });
        }
        finally
        {
            foreach (var client in listed.Concat(audience))
            {
                await client.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Audience_BurstOfJoins_IsToldAsFewerCountsThanJoinsEndingWithTheTotal()
    {
        await using var server = await RelayServer.StartAsync("--Presence:ListedListeners=0", "--Presence:AudienceUpdateInterval=00:00:00.200");
        await using var broadcaster = await TestClient.ConnectAsync(server.WebSocketUri);
        await broadcaster.JoinAsync("burst", ParticipantRole.Broadcaster);
        var listeners = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            var client = await TestClient.ConnectAsync(server.WebSocketUri);
            await client.JoinAsync("burst", ParticipantRole.Listener);
            return client;
        }));
        try
        {
            await broadcaster.ExpectAsync<AudienceMessage>(m => m.Count == 40);
            await using var late = await TestClient.ConnectAsync(server.WebSocketUri);
            var lateJoined = await late.JoinAsync("burst", ParticipantRole.Listener);

            var counts = broadcaster.Arrivals.OfType<AudienceMessage>().Select(m => m.Count).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(counts, Has.Count.LessThan(40), "batched, not one per join");
                Assert.That(counts, Is.Ordered, "joins only: the count never falls");
                Assert.That(broadcaster.Arrivals.OfType<ParticipantJoinedMessage>(), Is.Empty);
                Assert.That(lateJoined.Participants, Has.Count.EqualTo(1), "only the broadcaster is listed");
                Assert.That(lateJoined.Audience, Is.EqualTo(41));
            });
        }
        finally
        {
            foreach (var client in listeners)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Audience_CountChanges_ReachTheAudienceOnlyAtItsOwnInterval()
    {
        await using var server = await RelayServer.StartAsync(
            "--Presence:ListedListeners=0", "--Presence:AudienceUpdateInterval=00:00:00.050", "--Presence:AudienceMemberUpdateInterval=00:10:00");
        await using var broadcaster = await TestClient.ConnectAsync(server.WebSocketUri);
        var broadcasterJoined = await broadcaster.JoinAsync("radio", ParticipantRole.Broadcaster);
        await using var first = await TestClient.ConnectAsync(server.WebSocketUri);
        Assert.That((await first.JoinAsync("radio", ParticipantRole.Listener)).Audience, Is.EqualTo(1));
        await broadcaster.ExpectAsync<AudienceMessage>(m => m.Count == 1);

        // Two more listeners, each seen by the broadcaster in its own update.
        await using var second = await TestClient.ConnectAsync(server.WebSocketUri);
        await second.JoinAsync("radio", ParticipantRole.Listener);
        await broadcaster.ExpectAsync<AudienceMessage>(m => m.Count == 2);
        await using var third = await TestClient.ConnectAsync(server.WebSocketUri);
        await third.JoinAsync("radio", ParticipantRole.Listener);
        await broadcaster.ExpectAsync<AudienceMessage>(m => m.Count == 3);

        // An update for the audience would have been handed to its writers with the broadcaster's, so before this
        // frame, which they carry after it.
        await broadcaster.SendBinaryAsync(Frames.Audio(broadcasterJoined.StreamId!.Value, 0, Frames.Payload(0)));
        Assert.That(Frames.SequenceOf(await first.NextAudioAsync()), Is.EqualTo(0));
        Assert.That(first.Arrivals.OfType<AudienceMessage>().Select(m => m.Count), Has.None.GreaterThan(1),
            "the audience heard at most the count it joined with, ten minutes apart");
    }

    // The count rides with the audience's audio (its writers, or with Presence:AudienceWriteInterval its held
    // frames): a listener hears it while the broadcast goes on, and loses no frame around it.
    [TestCase(false)]
    [TestCase(true)]
    public async Task Audience_CountChangeDuringABroadcast_ReachesTheAudienceAmongItsFrames(bool held)
    {
        await using var server = await RelayServer.StartAsync(
            "--Presence:ListedListeners=0", "--Presence:AudienceUpdateInterval=00:00:00.050", "--Presence:AudienceMemberUpdateInterval=00:00:00.050",
            held ? "--Presence:AudienceWriteInterval=00:00:00.060" : "--Presence:AudienceWriteInterval=00:00:00");
        await using var broadcaster = await TestClient.ConnectAsync(server.WebSocketUri);
        var broadcasterJoined = await broadcaster.JoinAsync("radio", ParticipantRole.Broadcaster);
        uint stream = broadcasterJoined.StreamId!.Value;
        await using var listener = await TestClient.ConnectAsync(server.WebSocketUri);
        await listener.JoinAsync("radio", ParticipantRole.Listener);

        const int Sent = 30;
        for (uint sequence = 0; sequence < 10; sequence++)
        {
            await broadcaster.SendBinaryAsync(Frames.Audio(stream, sequence, Frames.Payload(sequence)));
        }

        await using var second = await TestClient.ConnectAsync(server.WebSocketUri);
        await second.JoinAsync("radio", ParticipantRole.Listener);
        await broadcaster.ExpectAsync<AudienceMessage>(m => m.Count == 2);
        for (uint sequence = 10; sequence < Sent; sequence++)
        {
            await broadcaster.SendBinaryAsync(Frames.Audio(stream, sequence, Frames.Payload(sequence)));
        }

        Assert.That((await listener.ExpectAsync<AudienceMessage>(m => m.Count == 2)).Count, Is.EqualTo(2));
        var sequences = new List<uint>();
        for (int i = 0; i < Sent; i++)
        {
            sequences.Add(Frames.SequenceOf(await listener.NextAudioAsync()));
        }

        Assert.That(sequences, Is.EqualTo(Enumerable.Range(0, Sent).Select(i => (uint)i)), "every frame, in order");
    }

    [Test]
    public async Task Audience_Member_MutingItself_IsToldOnlyToItself()
    {
        await using var server = await RelayServer.StartAsync("--Presence:ListedListeners=0");
        await using var speaker = await TestClient.ConnectAsync(server.WebSocketUri);
        await speaker.JoinAsync("quiet-audience");
        await using var listener = await TestClient.ConnectAsync(server.WebSocketUri);
        var joined = await listener.JoinAsync("quiet-audience", ParticipantRole.Listener);

        await listener.SendAsync(new MuteMessage { Muted = true });
        Assert.That((await listener.ExpectAsync<ParticipantMutedMessage>()).ParticipantId, Is.EqualTo(joined.ParticipantId));

        // The speaker's own mute reaches it after anything the listener's could have caused.
        await speaker.SendAsync(new MuteMessage { Muted = true });
        await speaker.ExpectAsync<ParticipantMutedMessage>();
        Assert.That(speaker.Arrivals.OfType<ParticipantMutedMessage>().Select(m => m.ParticipantId), Has.No.Member(joined.ParticipantId));
    }

    [Test]
    public async Task Join_RoomOfTwoThousandListeners_FillsAndEveryoneHearsTheBroadcast()
    {
        const int Listeners = 2_000;
        await using var server = await ServerProcess.StartAsync("--Limits:MaxConnectionsPerIp=0");
        await using var broadcaster = await TestClient.ConnectAsync(server.WebSocketUri);
        var live = await broadcaster.JoinAsync("stadium", ParticipantRole.Broadcaster);
        var clients = new TestClient[Listeners];
        var joins = new JoinedMessage[Listeners];
        try
        {
            // 50 at a time: as fast as a crowd arriving, without one burst of 2,000 handshakes.
            using var gate = new SemaphoreSlim(50);
            await Task.WhenAll(Enumerable.Range(0, Listeners).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    clients[i] = await TestClient.ConnectAsync(server.WebSocketUri);
                    joins[i] = await clients[i].JoinAsync("stadium", ParticipantRole.Listener);
                }
                finally
                {
                    gate.Release();
                }
            })).WaitAsync(TimeSpan.FromMinutes(2));

            await broadcaster.ExpectAsync<AudienceMessage>(m => m.Count == Listeners - 20);
            await broadcaster.SendBinaryAsync(Frames.Audio(live.StreamId!.Value, 0, Frames.Payload(0)));
            var heard = await Task.WhenAll(clients.Select(async c => Frames.SequenceOf(await c.NextAudioAsync())));

            Assert.Multiple(() =>
            {
                Assert.That(heard, Is.All.EqualTo(0), "every listener heard the frame");
                Assert.That(joins.Max(j => j.Participants.Count), Is.LessThanOrEqualTo(21), "a joined lists the broadcaster and at most 20 listeners");
                Assert.That(joins.Max(j => j.Audience ?? 0), Is.EqualTo(Listeners - 20));
                Assert.That(broadcaster.Arrivals.OfType<ParticipantJoinedMessage>().Count(), Is.EqualTo(20));
            });
        }
        finally
        {
            foreach (var client in clients.Where(c => c is not null))
            {
                await client.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Join_AfterTheListedMembersChange_NamesThemAsTheyAreNow()
    {
        // Audience members' 'joined' is written from a roster kept serialized: every change must show in the next one.
        await using var server = await RelayServer.StartAsync("--Presence:ListedListeners=1");
        await using var speaker = await TestClient.ConnectAsync(server.WebSocketUri);
        var speakerJoined = await speaker.JoinAsync("roster", ParticipantRole.Speaker, "Mayor");
        await using var listed = await TestClient.ConnectAsync(server.WebSocketUri);
        var listedJoined = await listed.JoinAsync("roster", ParticipantRole.Listener, "Clerk");
        var audience = new List<TestClient>();
        async Task<JoinedMessage> JoinAudienceAsync()
        {
            var client = await TestClient.ConnectAsync(server.WebSocketUri);
            audience.Add(client);
            return await client.JoinAsync("roster", ParticipantRole.Listener);
        }

        try
        {
            var first = await JoinAudienceAsync();
            var second = await JoinAudienceAsync();

            await speaker.SendAsync(new MuteMessage { Muted = true });
            await listed.ExpectAsync<ParticipantMutedMessage>();
            var afterMute = await JoinAudienceAsync();

            await speaker.SendAsync(new MuteMessage { Muted = false });
            await listed.ExpectAsync<ParticipantMutedMessage>(m => !m.Muted);
            await speaker.SendBinaryAsync(Frames.Audio(speakerJoined.StreamId!.Value, 0, Frames.Payload(0)));
            await listed.ExpectAsync<StreamStartedMessage>();
            var afterStart = await JoinAudienceAsync();

            await listed.SendAsync(new LeaveMessage());
            await speaker.ExpectAsync<ParticipantLeftMessage>();
            var afterLeave = await JoinAudienceAsync();

            static string Roster(JoinedMessage joined) => string.Join(", ", joined.Participants.Select(p => $"{p.Name}{(p.Muted ? " (muted)" : "")}")) +
                " | " + string.Join(", ", joined.Streams.Select(s => s.StreamId));
            string live = speakerJoined.StreamId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Multiple(() =>
            {
                Assert.That(Roster(first), Is.EqualTo("Mayor, Clerk | "));
                Assert.That(Roster(second), Is.EqualTo(Roster(first)));
                Assert.That((first.Audience, second.Audience), Is.EqualTo((1, 2)), "each joiner's own count");
                Assert.That(second.ParticipantId, Is.Not.EqualTo(first.ParticipantId));
                Assert.That(Roster(afterMute), Is.EqualTo("Mayor (muted), Clerk | "));
                Assert.That(Roster(afterStart), Is.EqualTo($"Mayor, Clerk | {live}"));
                Assert.That(afterLeave.Participants.Select(p => p.Id), Is.EqualTo(new[] { speakerJoined.ParticipantId, afterLeave.ParticipantId }),
                    "the clerk is gone, and the listed place it left is the joiner's");
                Assert.That(listedJoined.Participants.Select(p => p.Name), Is.EqualTo(new[] { "Mayor", "Clerk" }), "a listed joiner is named in its own 'joined'");
            });
        }
        finally
        {
            foreach (var client in audience)
            {
                await client.DisposeAsync();
            }
        }
    }
}
