using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using WsAudio.Bench.Soak;

// Attacks a Release server the way docs/security.md says it must withstand, with a control room streaming beside
// the attack, and prints the figures as a Markdown table. Run through bench/soak.sh.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: wsaudio-bench-soak SERVER.dll protocol-vectors.json [--messages N] [--churn N] [--flood N]");
    return 2;
}

string serverDll = args[0];
long messages = Option("--messages", 1_000_000);
int churnCycles = (int)Option("--churn", 10_000);
int flood = (int)Option("--flood", 3_000);
const int MaxMessageBytes = 1 << 20;
string[] golden = [.. JsonDocument.Parse(File.ReadAllText(args[1])).RootElement.GetProperty("messages").EnumerateArray()
    .Where(m => m.GetProperty("from").GetString() == "client").Select(m => m.GetProperty("json").GetString()!)];
var rows = new List<(string What, string Figure)>();

// The fuzz lifts the per-connection message and connection limits, which would otherwise end it after a few
// messages per connection: what is measured is what gets past the parsers and the session, not the limits.
await using (var server = await ServerUnderTest.StartAsync(serverDll, null, "--max-message-bytes", MaxMessageBytes.ToString(CultureInfo.InvariantCulture),
    "--Limits:MaxControlMessagesPerSecond=0", "--Limits:MaxConnectionsPerIp=0", "--Logging:LogLevel:Default=Warning"))
{
    double rssStart = server.ResidentMegabytes();
    await using var control = await ControlRoom.StartAsync(server.WebSocketUri);
    var fuzzer = new Fuzzer(server.WebSocketUri, golden, MaxMessageBytes);
    var clock = Stopwatch.StartNew();
    var rss = new List<double>();
    for (int batch = 1; batch <= 4; batch++)
    {
        await fuzzer.RunAsync(messages * batch / 4, workers: 4);
        rss.Add(server.ResidentMegabytes());
        Console.Error.WriteLine($"fuzz: {fuzzer.Sent:N0} messages, {fuzzer.Connections:N0} connections, RSS {rss[^1]:F0} MB");
    }

    double seconds = clock.Elapsed.TotalSeconds;
    long lost = await control.StopAsync();
    await Task.Delay(TimeSpan.FromSeconds(10));
    double rssIdle = server.ResidentMegabytes();
    rows.Add(("messages fuzzed (4 clients, 1 MiB message limit)", $"{fuzzer.Sent:N0} in {seconds:F0} s over {fuzzer.Connections:N0} connections"));
    rows.Add(("control room: frames sent / lost / out of order", $"{control.Sent:N0} / {lost} / {control.OutOfOrder}"));
    rows.Add(("RSS: start, after each quarter of the fuzz, 10 s idle", $"{rssStart:F0} MB; {string.Join(", ", rss.Select(r => $"{r:F0}"))} MB; {rssIdle:F0} MB"));

    double rssBeforeChurn = server.ResidentMegabytes();
    clock.Restart();
    await ChurnAsync(server.WebSocketUri, churnCycles);
    rows.Add(("connect / join / leave / close cycles", $"{churnCycles:N0} in {clock.Elapsed.TotalSeconds:F0} s; RSS {rssBeforeChurn:F0} → {server.ResidentMegabytes():F0} MB"));
    rows.Add(("exceptions escaped (error-level log lines, unhandled)", $"{server.EscapedExceptions()}; server {(server.HasExited ? "DIED" : "alive")}"));
}

await using (var small = await ServerUnderTest.StartAsync(serverDll, 1024, "--Logging:LogLevel:Default=Warning"))
{
    int cap = (int)await small.MetricAsync("wsaudio_tcp_connections_limit");
    var sockets = new List<Socket>();
    for (int i = 0; i < flood; i++)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse($"127.0.0.{2 + (i % 30)}"), 0));
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, small.Port);
            await socket.SendAsync("GET /ws HTTP/1.1\r\nHost: wsaudio\r\n"u8.ToArray());
        }
        catch (SocketException)
        {
        }

        sockets.Add(socket);
    }

    // Connections wait in the kernel's backlog until the server accepts them: wait until those past the cap have had
    // their answer (readable: the 503, or the end of the stream), or 20 s.
    int answered = 0;
    for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(20) && answered < flood - cap; await Task.Delay(200))
    {
        answered = sockets.Count(s => s.Poll(0, SelectMode.SelectRead));
    }

    bool alive = !small.HasExited;
    sockets.ForEach(s => s.Dispose());
    double refused = double.NaN;
    for (int i = 0; i < 100 && double.IsNaN(refused); i++)
    {
        try
        {
            refused = await small.MetricAsync("wsaudio_tcp_connections_refused_total");
        }
        catch (HttpRequestException)
        {
            await Task.Delay(100);
        }
    }

    using var joiner = new ClientWebSocket();
    await Wire.ConnectAsync(joiner, small.WebSocketUri);
    await Wire.JoinAsync(joiner, """{"type":"join","room":"after-flood"}""");
    rows.Add(($"half-sent requests from 30 addresses, ulimit -n 1024 (cap {cap})", $"{flood:N0} opened; {refused:N0} refused at once ({answered:N0} already answered or closed by the server); server {(alive && !small.HasExited ? "alive" : "DIED")}, joins again after"));
}

Console.WriteLine("| attack | figure |");
Console.WriteLine("|---|---|");
foreach (var (what, figure) in rows)
{
    Console.WriteLine($"| {what} | {figure} |");
}

return 0;

long Option(string name, long fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? long.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task ChurnAsync(Uri server, int cycles)
{
    int next = 0;
    await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
    {
        int cycle;
        while ((cycle = Interlocked.Increment(ref next)) <= cycles)
        {
            using var socket = new ClientWebSocket();
            await Wire.ConnectAsync(socket, server);
            await Wire.JoinAsync(socket, $$"""{"type":"join","room":"churn-{{cycle % 50}}","role":"listener"}""");
            await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"leave"}"""), WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
    })));
}
