using System.Text.Json;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// The server's keep-alive, seen on the wire: a peer that sends nothing is pinged, kept while it answers, and cut off
/// when it stops; one that sends something more often is never pinged.
/// </summary>
public sealed class KeepAliveTests
{
    private const byte Text = 0x1;
    private const byte Close = 0x8;
    private const byte Ping = 0x9;
    private const byte Pong = 0xA;

    [Test]
    public async Task KeepAlive_SilentListener_IsPingedKeptWhileItAnswersAndCutOffWhenItStops()
    {
        await using var server = await RelayServer.StartAsync("--Relay:KeepAliveInterval=00:00:00.200", "--Relay:KeepAliveTimeout=00:00:00.500");
        using var listener = await RawWebSocket.ConnectAsync(server.WebSocketUri);
        await listener.SendAsync(Text, ControlMessageSerializer.Serialize(new JoinMessage { Room = "quiet", Role = ParticipantRole.Listener }));

        int pings = 0;
        while (pings < 3)
        {
            var frame = await listener.ReceiveAsync(Timeouts.Event);
            Assert.That(frame, Is.Not.Null, "the server cut off a listener that answered every ping");
            Assert.That(frame!.Value.Opcode, Is.Not.EqualTo(Close));
            if (frame.Value.Opcode == Ping)
            {
                pings++;
                Assert.That(frame.Value.Payload, Is.Empty, "the server's pings carry nothing");
                await listener.SendAsync(Pong, frame.Value.Payload);
            }
        }

        // Silent now, pongs included: the next ping goes unanswered and the connection ends without a close frame.
        var last = await listener.ReceiveAsync(Timeouts.Event);
        Assert.That(last?.Opcode, Is.EqualTo(Ping));
        var after = await listener.ReceiveAsync(Timeouts.Event);
        Assert.That(after, Is.Null, "a dead peer is aborted, not closed politely");
    }

    [Test]
    public async Task KeepAlive_ClientSendingMoreOftenThanTheInterval_IsNeverPinged()
    {
        await using var server = await RelayServer.StartAsync("--Relay:KeepAliveInterval=00:00:00.200", "--Relay:KeepAliveTimeout=00:00:00.500");
        using var client = await RawWebSocket.ConnectAsync(server.WebSocketUri);
        await client.SendAsync(Text, ControlMessageSerializer.Serialize(new JoinMessage { Room = "chatty", Role = ParticipantRole.Listener }));

        // Five intervals' worth of JSON pings, each awaited: the pace of a client, not a wait for the server.
        var opcodes = new List<byte>();
        for (int t = 0; t < 20; t++)
        {
            await client.SendAsync(Text, ControlMessageSerializer.Serialize(new PingMessage { T = t }));
            while (true)
            {
                var frame = await client.ReceiveAsync(Timeouts.Event);
                Assert.That(frame, Is.Not.Null, "the server cut off a client that kept sending");
                opcodes.Add(frame!.Value.Opcode);
                if (frame.Value.Opcode == Text && JsonDocument.Parse(frame.Value.Payload).RootElement.GetProperty("type").GetString() == "pong")
                {
                    break;
                }
            }

            await Task.Delay(50);
        }

        Assert.That(opcodes, Has.No.Member(Ping));
    }
}
