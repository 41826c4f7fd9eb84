using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using WsAudio.Bench.Browser;

// One listening page in headless Chromium hears K bot speakers; the browser's CPU (every Chromium process: page,
// audio service, GPU, browser) is read from /proc over a fixed window, for K = 0 and K = streams, on each path a
// browser may take: WebCodecs + AudioWorklet, WebAssembly + AudioWorklet (no WebCodecs), WebAssembly + the page's own
// thread (plain http). CPU per decoded stream = (CPU with K streams − CPU with none) / K. Interleaved repeats.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: wsaudio-bench-browser SERVER.dll WSAUDIO-CLI.dll [--streams 4] [--repeats 3] [--seconds 15]");
    return 2;
}

string serverDll = args[0];
string cliDll = args[1];
int streams = Option("--streams", 4);
int repeats = Option("--repeats", 3);
int seconds = Option("--seconds", 15);

await using var server = await BenchServer.StartAsync(serverDll);
using var playwright = await Playwright.CreateAsync();
ListenPath[] paths =
[
    new("WebCodecs, AudioWorklet", null, false),
    new("WebAssembly, AudioWorklet", "delete window.AudioEncoder; delete window.AudioDecoder; delete window.EncodedAudioChunk; delete window.AudioData;", false),
    new("WebAssembly, page thread (plain http)", null, true),
];
var results = new Dictionary<(string, int), List<Sample>>();
int run = 0;
for (int repeat = 0; repeat < repeats; repeat++)
{
    foreach (var path in paths)
    {
        foreach (int k in new[] { 0, streams })
        {
            var sample = await MeasureAsync(path, k, $"bench-{run++}");
            Console.Error.WriteLine($"{path.Name}, {k} streams: {sample.CpuPercent:F1}% of a core, latency p50 {sample.LatencyMs:F0} ms, load {sample.Load:F2}");
            results.TryAdd((path.Name, k), []);
            results[(path.Name, k)].Add(sample);
        }
    }
}

Console.WriteLine($"| path | browser CPU, idle page (% of one core) | with {streams} streams | per decoded stream | capture → heard p50 (ms) | load average (1 min) |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var path in paths)
{
    var idle = results[(path.Name, 0)];
    var busy = results[(path.Name, streams)];
    var perStream = idle.Zip(busy, (i, b) => (b.CpuPercent - i.CpuPercent) / streams).ToList();
    Console.WriteLine($"| {path.Name} | {Range(idle.Select(s => s.CpuPercent), 1)} | {Range(busy.Select(s => s.CpuPercent), 1)} | {Range(perStream, 2)} | " +
        $"{Range(busy.Select(s => s.LatencyMs), 0)} | {Range([.. idle.Select(s => s.Load), .. busy.Select(s => s.Load)], 2)} |");
}

return 0;

async Task<Sample> MeasureAsync(ListenPath path, int speakers, string room)
{
    List<string> flags = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
    if (path.PlainHttp)
    {
        flags.Add("--host-resolver-rules=MAP wsaudio.test 127.0.0.1");
    }

    await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = flags });
    var context = await browser.NewContextAsync();
    if (path.InitScript is not null)
    {
        await context.AddInitScriptAsync(path.InitScript);
    }

    var page = await context.NewPageAsync();
    string host = path.PlainHttp ? $"http://wsaudio.test:{server.Port}" : $"http://127.0.0.1:{server.Port}";
    // The bot names its room PREFIX0.
    await page.GotoAsync($"{host}/listen/{room}0");
    await page.Locator("#unblock").ClickAsync();
    await page.WaitForFunctionAsync("() => window.wsaudioRoom?.state === 'connected' && !window.wsaudioRoom.audioBlocked");

    using var bot = speakers == 0 ? null : Bot.Start(cliDll, server.Port, room, speakers, seconds + 20);
    if (speakers > 0)
    {
        await page.WaitForFunctionAsync($"() => window.wsaudioRoom.getStats().streams.filter((s) => s.received >= 100).length >= {speakers}", null, new() { Timeout = 30_000 });
    }

    double load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
    double cpuBefore = ChromiumCpu.Seconds();
    var clock = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    double cpu = (ChromiumCpu.Seconds() - cpuBefore) / clock.Elapsed.TotalSeconds * 100;
    double latency = speakers == 0 ? 0 : await page.EvaluateAsync<double>(
        "() => { const l = window.wsaudioRoom.getStats().streams.map((s) => s.latencyMs).filter((x) => x !== undefined).sort((a, b) => a - b); return l[Math.floor(l.length / 2)] ?? -1; }");
    string actual = await page.EvaluateAsync<string>("() => { const s = window.wsaudioRoom.getStats(); return s.decodePath + '/' + s.playbackPath; }");
    Console.Error.WriteLine($"  page reports {actual}");
    return new Sample(cpu, latency, load);
}

int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static string Range(IEnumerable<double> values, int digits)
{
    var list = values.ToList();
    string lo = list.Min().ToString($"F{digits}", CultureInfo.InvariantCulture);
    string hi = list.Max().ToString($"F{digits}", CultureInfo.InvariantCulture);
    return lo == hi ? lo : $"{lo}–{hi}";
}

internal sealed record ListenPath(string Name, string? InitScript, bool PlainHttp);

internal sealed record Sample(double CpuPercent, double LatencyMs, double Load);
