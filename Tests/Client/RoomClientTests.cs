using WsAudio.Client.Connection;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

public sealed class RoomClientTests
{
    [Test]
    public async Task Connect_InvalidRoom_ThrowsWithTheServersErrorCode()
    {
        await using var server = await RelayServer.StartAsync();
        await using var client = new RoomClient(new RoomClientOptions { Url = server.WebSocketUri, Room = "no spaces allowed" });

        var error = Assert.ThrowsAsync<RoomClientException>(() => client.ConnectAsync());

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCodes.InvalidRoom));
        Assert.That(client.State, Is.EqualTo(ConnectionState.Closed));
    }

    [Test]
    public async Task Dispose_WhileJoined_OthersSeeItLeaveRatherThanDisconnect()
    {
        await using var server = await RelayServer.StartAsync();
        await using var observer = await TestClient.ConnectAsync(server.WebSocketUri);
        await observer.JoinAsync("goodbye", ParticipantRole.Listener);
        var client = new RoomClient(new RoomClientOptions { Url = server.WebSocketUri, Room = "goodbye" });
        await client.ConnectAsync();
        string id = client.ParticipantId!;

        await client.DisposeAsync();

        var left = await observer.ExpectAsync<ParticipantLeftMessage>(m => m.ParticipantId == id);
        Assert.That(left.Reason, Is.EqualTo(LeaveReason.Left));
    }

    [Test]
    public async Task Events_SecondParticipantStreams_AreRaisedInOrder()
    {
        await using var server = await RelayServer.StartAsync();
        await using var listener = new RoomClient(new RoomClientOptions { Url = server.WebSocketUri, Room = "events", Role = ParticipantRole.Listener });
        var seen = new List<string>();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.ParticipantJoined += (_, m) => seen.Add($"joined {m.Participant.Name}");
        listener.StreamStarted += (_, m) => seen.Add("started");
        listener.AudioReceived += (in WsAudio.Protocol.Framing.AudioFrameHeader h, ReadOnlySpan<byte> p) => seen.Add($"audio {h.Sequence} {p.Length}");
        listener.StreamStopped += (_, m) =>
        {
            seen.Add($"stopped {m.Reason}");
            stopped.TrySetResult();
        };
        await listener.ConnectAsync();
        await using var speaker = new RoomClient(new RoomClientOptions { Url = server.WebSocketUri, Room = "events", Name = "Ada" });
        await speaker.ConnectAsync();

        await speaker.SendAudioAsync(new byte[] { 1, 2, 3 }, 0, 0);
        await speaker.SendAudioAsync(ReadOnlyMemory<byte>.Empty, 960, 0, endOfStream: true);
        await stopped.Task.WaitAsync(Timeouts.Event);

        Assert.That(seen, Is.EqualTo(new[] { "joined Ada", "started", "audio 0 3", "audio 1 0", "stopped EndOfStream" }));
        Assert.That(speaker.FramesSent, Is.EqualTo(2));
    }

    [Test]
    public async Task Reconnect_AfterServerRestart_RejoinsWithBackoff()
    {
        var server = await RelayServer.StartAsync();
        int port = server.WebSocketUri.Port;
        await using var client = new RoomClient(new RoomClientOptions
        {
            Url = server.WebSocketUri,
            Room = "restart",
            Role = ParticipantRole.Listener,
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(400),
        });
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var rejoined = new TaskCompletionSource<JoinedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, state) =>
        {
            if (state == ConnectionState.Reconnecting)
            {
                reconnecting.TrySetResult();
            }
        };
        await client.ConnectAsync();
        string firstId = client.ParticipantId!;
        client.Joined += (_, joined) => rejoined.TrySetResult(joined);

        await server.DisposeAsync();
        await reconnecting.Task.WaitAsync(Timeouts.Event);
        await using var restarted = await RelayServer.StartAsync("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var joined = await rejoined.Task.WaitAsync(Timeouts.Event);

        Assert.Multiple(() =>
        {
            Assert.That(client.State, Is.EqualTo(ConnectionState.Connected));
            Assert.That(client.Reconnects, Is.EqualTo(1));
            Assert.That(joined.Room, Is.EqualTo("restart"));
            Assert.That(joined.ParticipantId, Is.Not.EqualTo(firstId), "a rejoin is a new participant");
            Assert.That(restarted.Rooms.Find("restart"), Is.Not.Null);
        });
    }
}
