using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Radio.Sources;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Radio;

/// <summary>A player on the listen URL that stops reading is dropped like a slow WebSocket listener; nobody else waits.</summary>
public sealed class SlowHttpListenerTests
{
    private const int FrameCount = 600;

    [Test]
    public async Task ListenUrl_PlayerThatNeverReads_IsDroppedAndOthersLoseNothing()
    {
        await using var server = await RelayServer.StartAsync("--Limits:SlowConsumerTimeout=00:00:01", "--Limits:MaxBytesPerSecond=4000000", "--Radio:ListenBurst=00:00:00");
        await using var watcher = await TestClient.ConnectAsync(server.WebSocketUri);
        await watcher.JoinAsync("radio-slow", ParticipantRole.Listener);

        using var http = new HttpClient { BaseAddress = server.HttpUri, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync("/rooms/radio-slow/stream.ogg", HttpCompletionOption.ResponseHeadersRead);
        var reader = new OggPacketReader(await response.Content.ReadAsStreamAsync(), maxPacket: 16384);
        var reading = ReadAudioPacketsAsync(reader, FrameCount);
        var reader1 = await watcher.ExpectAsync<ParticipantJoinedMessage>();

        // A player that asks and never reads, with a small receive window so that the server feels it soon.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await stalled.ConnectAsync(server.HttpUri.Host, server.HttpUri.Port);
        await stalled.SendAsync(Encoding.ASCII.GetBytes("GET /rooms/radio-slow/stream.ogg HTTP/1.1\r\nHost: test\r\n\r\n"));
        var stall = await watcher.ExpectAsync<ParticipantJoinedMessage>();

        await using var sender = await TestClient.ConnectAsync(server.WebSocketUri);
        var joined = await sender.JoinAsync("radio-slow", ParticipantRole.Broadcaster);
        for (uint i = 0; i < FrameCount; i++)
        {
            await sender.SendBinaryAsync(Packet(joined.StreamId!.Value, i));

            // Pacing, not synchronisation: 200 frames of 8 KB a second, within the sender's (raised) rate limits: the
            // buffers between the server and the stalled player fill within a second.
            await Task.Delay(5);
        }

        var left = await watcher.ExpectAsync<ParticipantLeftMessage>();
        var sequences = new List<uint>();
        while (sequences.Count < FrameCount)
        {
            sequences.Add(Support.Frames.SequenceOf(await watcher.NextAudioAsync()));
        }

        var packets = await reading;
        Assert.Multiple(() =>
        {
            Assert.That(left.ParticipantId, Is.EqualTo(stall.Participant.Id), "the player that stopped reading was dropped");
            Assert.That(watcher.Arrivals.OfType<ParticipantLeftMessage>().Select(m => m.ParticipantId), Does.Not.Contain(reader1.Participant.Id));
            Assert.That(sequences, Is.EqualTo(Enumerable.Range(0, FrameCount).Select(i => (uint)i)), "the WebSocket listener lost nothing");
            Assert.That(packets.Select(p => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(1))), Is.EqualTo(Enumerable.Range(0, FrameCount).Select(i => (uint)i)),
                "the player that reads lost nothing");
        });
    }

    // A 20 ms CELT packet's table-of-contents byte, then the frame's number and filler: 8 KB the listen URL carries.
    private static byte[] Packet(uint stream, uint sequence)
    {
        var payload = new byte[8000];
        payload[0] = 0xF8;
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(1), sequence);
        var frame = new byte[ProtocolConstants.HeaderSize + payload.Length];
        new AudioFrameHeader(AudioCodec.Opus, FrameFlags.None, stream, sequence, sequence * 960, 0).WriteFrame(frame, payload);
        return frame;
    }

    private static async Task<List<byte[]>> ReadAudioPacketsAsync(OggPacketReader reader, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var head = await reader.ReadAsync(timeout.Token);
        reader.Following = head!.Value.Serial;
        await reader.ReadAsync(timeout.Token);
        var packets = new List<byte[]>();
        while (packets.Count < count)
        {
            packets.Add((await reader.ReadAsync(timeout.Token))!.Value.Data.ToArray());
        }

        return packets;
    }
}
