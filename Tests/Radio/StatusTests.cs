using System.Net.Http.Json;
using System.Text.Json;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Radio;

/// <summary><c>/status-json.xsl</c> read the way Icecast widgets read it, and <c>/api/rooms</c>.</summary>
public sealed class StatusTests
{
    [Test]
    public async Task StatusJson_WithNoneOneAndTwoSources_ListsEachLiveRoomWithItsListeners()
    {
        await using var server = await RelayServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.HttpUri, Timeout = Timeout.InfiniteTimeSpan };
        Assert.That(await SourcesAsync(http), Is.Empty, "no room, no source: an empty array, not a missing field");

        await using var first = await TestClient.ConnectAsync(server.WebSocketUri);
        uint stream = (await first.JoinAsync("station-a", ParticipantRole.Broadcaster, "DJ")).StreamId!.Value;
        await using var listenerA = await TestClient.ConnectAsync(server.WebSocketUri);
        await listenerA.JoinAsync("station-a", ParticipantRole.Listener);
        await using var listenerB = await TestClient.ConnectAsync(server.WebSocketUri);
        await listenerB.JoinAsync("station-a", ParticipantRole.Listener);
        using var player = await http.GetAsync("/rooms/station-a/stream.ogg", HttpCompletionOption.ResponseHeadersRead);
        await listenerA.ExpectAsync<ParticipantJoinedMessage>(m => m.Participant.Name == "HTTP listener");
        Assert.That(await SourcesAsync(http), Is.Empty, "a room is a source once it is live");

        await first.SendBinaryAsync(Frames.Audio(stream, 0, Frames.Payload(0)));
        await listenerA.ExpectAsync<StreamStartedMessage>();
        var sources = await SourcesAsync(http);
        Assert.That(sources, Has.Count.EqualTo(1));
        var source = sources[0];
        Assert.Multiple(() =>
        {
            Assert.That(source.GetProperty("listenurl").GetString(), Is.EqualTo($"{server.HttpUri}rooms/station-a/stream.ogg"));
            Assert.That(source.GetProperty("listeners").GetInt32(), Is.EqualTo(3), "two on WebSockets, one on the listen URL");
            Assert.That(source.GetProperty("listener_peak").GetInt32(), Is.EqualTo(3));
            Assert.That(source.GetProperty("server_name").GetString(), Is.EqualTo("station-a"));
            Assert.That(source.GetProperty("server_type").GetString(), Is.EqualTo("audio/ogg"));
            Assert.That(source.GetProperty("audio_info").GetString(), Is.EqualTo("channels=1;samplerate=48000"));
            Assert.That(DateTimeOffset.Parse(source.GetProperty("stream_start_iso8601").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        });

        await using var second = await TestClient.ConnectAsync(server.WebSocketUri);
        uint other = (await second.JoinAsync("station-b", ParticipantRole.Broadcaster)).StreamId!.Value;
        await second.SendBinaryAsync(Frames.Audio(other, 0, Frames.Payload(0)));
        await second.ExpectAsync<StreamStartedMessage>();
        Assert.That((await SourcesAsync(http)).Select(s => s.GetProperty("server_name").GetString()), Is.EqualTo(new[] { "station-a", "station-b" }));

        using var rooms = JsonDocument.Parse(await http.GetStringAsync("/api/rooms"));
        var a = rooms.RootElement.GetProperty("rooms").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "station-a");
        Assert.Multiple(() =>
        {
            Assert.That(a.GetProperty("members").GetProperty("broadcasters").GetInt32(), Is.EqualTo(1));
            Assert.That(a.GetProperty("members").GetProperty("listeners").GetInt32(), Is.EqualTo(3));
            Assert.That(a.GetProperty("members").GetProperty("httpListeners").GetInt32(), Is.EqualTo(1));
            Assert.That(a.GetProperty("streams").EnumerateArray().Single().GetProperty("codec").GetString(), Is.EqualTo("opus"));
            Assert.That(a.ToString(), Does.Not.Contain("DJ"), "no names on a public page");
        });
    }

    // As widget libraries read it: icestats.source, an array of objects.
    private static async Task<List<JsonElement>> SourcesAsync(HttpClient http)
    {
        var document = await http.GetFromJsonAsync<JsonElement>("/status-json.xsl");
        return document.GetProperty("icestats").GetProperty("source").EnumerateArray().ToList();
    }
}
