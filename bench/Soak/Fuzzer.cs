using System.Net.WebSockets;
using System.Text;

namespace WsAudio.Bench.Soak;

/// <summary>
/// Clients that send what no client should: random JSON with random field types and values (numbers past the
/// double range, control characters, long strings, deep nesting), golden messages with flipped bytes, random and
/// half-valid binary frames, and now and then a message as large as the server allows. A connection the server
/// closes is replaced at once.
/// </summary>
internal sealed class Fuzzer(Uri server, string[] goldenMessages, int maxMessageBytes)
{
    private static readonly string[] Types = ["join", "leave", "mute", "ping", "moderate", "pong", "joined", "dance", ""];
    private static readonly string[] Fields = ["room", "role", "name", "token", "format", "codec", "sampleRate", "channels", "t", "muted", "action", "participantId", "type"];
    private long _sent;
    private long _connections;

    public long Sent => Interlocked.Read(ref _sent);

    public long Connections => Interlocked.Read(ref _connections);

    public Task RunAsync(long messages, int workers) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkAsync(messages, new Random(w * 7919 + 1)))));

    private async Task WorkAsync(long messages, Random random)
    {
        while (Sent < messages)
        {
            using var socket = new ClientWebSocket();
            try
            {
                await Wire.ConnectAsync(socket, server);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                continue;
            }

            Interlocked.Increment(ref _connections);
            var draining = DrainAsync(socket);
            try
            {
                if (random.Next(2) == 0)
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"type":"join","room":"fuzz-{{random.Next(20)}}","role":"{{(random.Next(2) == 0 ? "speaker" : "listener")}}"}"""), WebSocketMessageType.Text, true, CancellationToken.None);
                }

                while (Sent < messages && socket.State == WebSocketState.Open)
                {
                    var (bytes, type) = Next(random);
                    await socket.SendAsync(bytes, type, true, CancellationToken.None);
                    Interlocked.Increment(ref _sent);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Closed by the server for what was sent: the next connection carries on.
            }

            socket.Abort();
            await draining;
        }
    }

    private static async Task DrainAsync(ClientWebSocket socket)
    {
        var buffer = new byte[1 << 16];
        try
        {
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private (byte[] Bytes, WebSocketMessageType Type) Next(Random random)
    {
        int pick = random.Next(1000);
        if (pick == 0)
        {
            var huge = new byte[maxMessageBytes];
            random.NextBytes(huge);
            return (huge, random.Next(2) == 0 ? WebSocketMessageType.Binary : WebSocketMessageType.Text);
        }

        if (pick < 700)
        {
            return (Encoding.UTF8.GetBytes(RandomObject(random, 0)), WebSocketMessageType.Text);
        }

        if (pick < 900)
        {
            byte[] golden = Encoding.UTF8.GetBytes(goldenMessages[random.Next(goldenMessages.Length)]);
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                golden[random.Next(golden.Length)] = (byte)random.Next(32, 127);
            }

            return (golden[..random.Next(1, golden.Length + 1)], WebSocketMessageType.Text);
        }

        var frame = new byte[random.Next(0, 200)];
        random.NextBytes(frame);
        if (frame.Length >= 3 && random.Next(2) == 0)
        {
            frame[0] = 1;
            frame[1] = 1;
            frame[2] = (byte)random.Next(0, 4);
        }

        return (frame, WebSocketMessageType.Binary);
    }

    private static string RandomObject(Random random, int depth)
    {
        var text = new StringBuilder("{");
        text.Append($"\"type\":\"{Types[random.Next(Types.Length)]}\"");
        for (int fields = random.Next(0, 5); fields > 0; fields--)
        {
            text.Append($",\"{Fields[random.Next(Fields.Length)]}\":").Append(RandomValue(random, depth));
        }

        return text.Append('}').ToString();
    }

    private static string RandomValue(Random random, int depth) => random.Next(12) switch
    {
        0 => "1e400",
        1 => "-1e309",
        2 => new string('9', random.Next(1, 400)),
        3 => random.NextDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
        4 => "\"\\u001b[31m\\u0000\\n" + new string('x', random.Next(0, 3000)) + "\"",
        5 => "\"speaker, listener\"",
        6 => random.Next(2) == 0 ? "true" : "null",
        7 when depth < 12 => RandomObject(random, depth + 1),
        8 when depth < 12 => "[" + RandomValue(random, depth + 1) + "," + RandomValue(random, depth + 1) + "]",
        9 => "\"opus\"",
        10 => random.Next(-5, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "\"" + Guid.NewGuid().ToString("N")[..random.Next(1, 32)] + "\"",
    };
}
