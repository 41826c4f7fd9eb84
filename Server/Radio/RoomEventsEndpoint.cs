using System.Text;
using System.Text.Json;
using WsAudio.Protocol;
using WsAudio.Server.Hub;

namespace WsAudio.Server.Radio;

/// <summary>
/// <c>GET /rooms/{room}/events</c>: the room's status as server-sent events, for pages that need only OFFLINE /
/// LIVE, a listener count and the title, with no WebSocket or WebCodecs (the <c>/radio/{room}</c> page). Watching is not
/// joining: the page is no member and counts as no listener.
/// </summary>
/// <remarks>
/// The room is looked at every <see cref="Interval"/> and what changed is sent; a room that does not exist yet is
/// simply OFFLINE with no listeners.
/// </remarks>
internal static class RoomEventsEndpoint
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task HandleAsync(HttpContext context, string room, RoomRegistry rooms)
    {
        if (!RoomName.IsValid(room))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var aborted = context.RequestAborted;
        var body = context.Response.Body;
        using var timer = new PeriodicTimer(Interval);
        string listenUrl = $"/rooms/{Uri.EscapeDataString(room)}/stream.ogg";
        var last = Observe(rooms, room);
        await SendAsync(body, "status", Status(room, listenUrl, last), aborted);
        var quietSince = DateTime.UtcNow;
        try
        {
            while (await timer.WaitForNextTickAsync(aborted))
            {
                var now = Observe(rooms, room);
                bool sent = true;
                if (now.Live != last.Live)
                {
                    await SendAsync(body, now.Live ? "stream-started" : "stream-stopped", Status(room, listenUrl, now), aborted);
                }
                else if (now.Listeners != last.Listeners || now.Title != last.Title)
                {
                    if (now.Listeners != last.Listeners)
                    {
                        await SendAsync(body, "listeners", $"{{\"listeners\":{now.Listeners}}}", aborted);
                    }

                    if (now.Title != last.Title)
                    {
                        await SendAsync(body, "title", $"{{\"title\":{Json(now.Title)}}}", aborted);
                    }
                }
                else if (DateTime.UtcNow - quietSince > KeepAlive)
                {
                    // A comment line keeps proxies from closing a quiet stream.
                    await body.WriteAsync(": keep-alive\n\n"u8.ToArray(), aborted);
                    await body.FlushAsync(aborted);
                }
                else
                {
                    sent = false;
                }

                quietSince = sent ? DateTime.UtcNow : quietSince;
                last = now;
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }

    private static (bool Live, int Listeners, string? Title) Observe(RoomRegistry rooms, string room)
    {
        var status = rooms.Find(room)?.Status();
        var live = status?.Streams.FirstOrDefault(s => s.Format.Codec == AudioCodec.Opus);
        return (live is not null, status?.Listeners ?? 0, live?.Metadata?.Title);
    }

    private static string Json(string? text) => text is null ? "null" : JsonSerializer.Serialize(text, RadioJsonContext.Default.String);

    private static string Status(string room, string listenUrl, (bool Live, int Listeners, string? Title) state)
    {
        var json = new StringBuilder();
        json.Append("{\"room\":").Append(Json(room));
        json.Append(",\"live\":").Append(state.Live ? "true" : "false");
        json.Append(",\"listeners\":").Append(state.Listeners);
        json.Append(",\"listenUrl\":").Append(Json(listenUrl));
        json.Append(",\"title\":").Append(Json(state.Title));
        json.Append('}');
        return json.ToString();
    }

    private static async Task SendAsync(Stream body, string name, string data, CancellationToken aborted)
    {
        await body.WriteAsync(Encoding.UTF8.GetBytes($"event: {name}\ndata: {data}\n\n"), aborted);
        await body.FlushAsync(aborted);
    }
}
