using System.Globalization;
using WsAudio.Protocol;
using WsAudio.Server.Hub;

namespace WsAudio.Server.Radio;

/// <summary>
/// Status for pages and tools: <c>/api/rooms</c> and Icecast's <c>/status-json.xsl</c>. Public, so they say only
/// what any listener can hear: counts, formats and since when streams are live; no names or ids of members.
/// </summary>
internal static class StatusEndpoints
{
    private static readonly string ServerStart = Iso8601(DateTimeOffset.UtcNow);

    public static IResult Rooms(RoomRegistry rooms) => Results.Json(
        new RoomsDocument(rooms.Rooms.Select(r => r.Status()).OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => new RoomDocument(
            s.Name,
            new MembersDocument(s.Speakers, s.Broadcasters, s.Listeners, s.HttpListeners, s.IcecastSources, s.Taps),
            s.ListenerPeak,
            s.Streams.Select(t => new StreamDocument(
                t.StreamId,
                t.Format.Codec == AudioCodec.Opus ? "opus" : "pcm16",
                t.Format.SampleRate,
                t.Format.Channels,
                t.LiveSince is { } since ? Iso8601(since) : null,
                t.Metadata?.Name,
                t.Metadata?.Title)).ToList())).ToList()),
        RadioJsonContext.Default.RoomsDocument);

    /// <summary>One source per room with a live Opus stream: what its listen URL carries.</summary>
    public static IResult Icecast(HttpContext context, RoomRegistry rooms)
    {
        string origin = $"{context.Request.Scheme}://{context.Request.Host}";
        var sources = new List<IcecastSource>();
        foreach (var status in rooms.Rooms.Select(r => r.Status()).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (status.Streams.FirstOrDefault(s => s.Format.Codec == AudioCodec.Opus) is not { } live)
            {
                continue;
            }

            var about = live.Metadata;
            sources.Add(new IcecastSource(
                AudioInfo: $"channels={live.Format.Channels};samplerate={live.Format.SampleRate}",
                Channels: live.Format.Channels,
                Genre: about?.Genre ?? string.Empty,
                ListenerPeak: status.ListenerPeak,
                Listeners: status.Listeners,
                ListenUrl: $"{origin}/rooms/{Uri.EscapeDataString(status.Name)}/stream.ogg",
                SampleRate: live.Format.SampleRate,
                ServerDescription: about?.Description ?? string.Empty,
                ServerName: about?.Name ?? status.Name,
                ServerType: "audio/ogg",
                ServerUrl: about?.Url ?? string.Empty,
                StreamStart: live.LiveSince is { } since ? Iso8601(since) : null,
                Title: about?.Title ?? about?.Name ?? status.Name));
        }

        return Results.Json(
            new IcecastDocument(new IcecastStats(string.Empty, context.Request.Host.Host, string.Empty, "WsAudio", ServerStart, sources)),
            RadioJsonContext.Default.IcecastDocument);
    }

    // UTC with a Z: a "+00:00" would come out of the JSON writer as "\u002B00:00".
    private static string Iso8601(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
