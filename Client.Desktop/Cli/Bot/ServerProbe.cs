using System.Globalization;

namespace WsAudio.Cli.Bot;

/// <summary>Reads the server's Prometheus <c>/metrics</c> (same host as the WebSocket URL) for CPU, memory and counters.</summary>
internal sealed class ServerProbe : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Uri _metrics;

    public ServerProbe(Uri webSocketUrl)
    {
        _metrics = new UriBuilder(webSocketUrl) { Scheme = webSocketUrl.Scheme == "wss" ? "https" : "http", Path = "/metrics", Query = string.Empty }.Uri;
    }

    /// <summary>Metric name → value, or null when the server does not answer.</summary>
    public async Task<IReadOnlyDictionary<string, double>?> ScrapeAsync()
    {
        try
        {
            string text = await _http.GetStringAsync(_metrics);
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int space = line.LastIndexOf(' ');
                if (!line.StartsWith('#') && space > 0 && double.TryParse(line[(space + 1)..], CultureInfo.InvariantCulture, out double value))
                {
                    values[line[..space]] = value;
                }
            }

            return values;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
