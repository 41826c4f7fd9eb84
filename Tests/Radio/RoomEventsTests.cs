using System.Text.Json;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Radio;

/// <summary><c>/rooms/{room}/events</c> read as an <c>EventSource</c> reads it.</summary>
public sealed class RoomEventsTests
{
    [Test]
    public async Task Events_ThroughABroadcast_SayOfflineLiveListenersAndOfflineAgain()
    {
        await using var server = await RelayServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.HttpUri, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync("/rooms/station-sse/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var (name, data) = await NextEventAsync(reader);
        Assert.That((name, data.GetProperty("live").GetBoolean(), data.GetProperty("listeners").GetInt32()), Is.EqualTo(("status", false, 0)), "a room nobody opened is OFFLINE");

        await using var broadcaster = await TestClient.ConnectAsync(server.WebSocketUri);
        uint stream = (await broadcaster.JoinAsync("station-sse", ParticipantRole.Broadcaster)).StreamId!.Value;
        await using var listener = await TestClient.ConnectAsync(server.WebSocketUri);
        await listener.JoinAsync("station-sse", ParticipantRole.Listener);
        Assert.That((await NextEventAsync(reader)).Name, Is.EqualTo("listeners"));

        await broadcaster.SendBinaryAsync(Frames.Audio(stream, 0, Frames.Payload(0)));
        (name, data) = await NextEventAsync(reader);
        Assert.That((name, data.GetProperty("live").GetBoolean(), data.GetProperty("listenUrl").GetString()), Is.EqualTo(("stream-started", true, "/rooms/station-sse/stream.ogg")));

        await broadcaster.SendBinaryAsync(Frames.Audio(stream, 1, Frames.Payload(1), flags: FrameFlags.EndOfStream));
        await listener.ExpectAsync<StreamStoppedMessage>();
        (name, data) = await NextEventAsync(reader);
        Assert.That((name, data.GetProperty("live").GetBoolean()), Is.EqualTo(("stream-stopped", false)));
    }

    // The next named event: its name and its data parsed as JSON; comments (keep-alives) are skipped.
    private static async Task<(string Name, JsonElement Data)> NextEventAsync(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Event);
        string? name = null;
        string? data = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && name is not null && data is not null)
            {
                return (name, JsonDocument.Parse(data).RootElement.Clone());
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }
}
