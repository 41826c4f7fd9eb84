// The relay anyone would write first on Kestrel, with the shape every benchmark peer shares:
// ws://127.0.0.1:PORT/ws?room=R&role=speaker|listener; each binary message of a speaker goes to every other
// member of its room that receives. Each receiver has a bounded queue (50 messages, oldest dropped) and its own
// send loop, so a slow reader holds nobody up. No validation, no presence, no metrics.
// Usage: dotnet wsaudio-bench-naive-relay.dll PORT
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;

int port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 18300;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
var app = builder.Build();
app.UseWebSockets();
var rooms = new ConcurrentDictionary<string, ConcurrentDictionary<Channel<byte[]>, bool>>(StringComparer.Ordinal);

app.MapGet("/healthz", () => "ok");
app.Map("/ws", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = 400;
        return;
    }

    string room = context.Request.Query["room"].ToString();
    string role = context.Request.Query["role"].ToString();
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var members = rooms.GetOrAdd(room, _ => new());
    var outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(50) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    if (role != "broadcaster")
    {
        members[outbox] = true;
    }

    var sending = Task.Run(async () =>
    {
        try
        {
            await foreach (var message in outbox.Reader.ReadAllAsync())
            {
                await socket.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }
    });

    var buffer = new byte[16 * 1024];
    try
    {
        while (true)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                length += result.Count;
            }
            while (!result.EndOfMessage && length < buffer.Length);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            if (result.MessageType == WebSocketMessageType.Binary && role != "listener")
            {
                byte[] message = buffer[..length];
                foreach (var member in members.Keys)
                {
                    if (member != outbox)
                    {
                        member.Writer.TryWrite(message);
                    }
                }
            }
        }
    }
    catch (WebSocketException)
    {
    }
    finally
    {
        members.TryRemove(outbox, out _);
        outbox.Writer.TryComplete();
        await sending;
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }
    }
});

app.Run();
