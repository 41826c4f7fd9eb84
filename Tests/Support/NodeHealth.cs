using System.Diagnostics;

namespace WsAudio.Tests.Support;

/// <summary>
/// Waits for a server node's <c>/healthz</c> to say something, as a load balancer's health check would: states
/// reached by other processes (a node reaching NATS, or losing it) are polled every 50 ms, within a bound.
/// </summary>
internal static class NodeHealth
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <param name="expected">A fragment of the health JSON, e.g. <c>"broker":"connected"</c>.</param>
    /// <param name="logs">The node's log, shown if the wait fails.</param>
    public static async Task WaitForAsync(Uri node, string expected, Func<string>? logs = null)
    {
        using var http = new HttpClient { BaseAddress = node };
        var limit = Stopwatch.StartNew();
        string health;
        while (!(health = await http.GetStringAsync(new Uri("/healthz", UriKind.Relative))).Contains(expected, StringComparison.Ordinal))
        {
            Assert.That(limit.Elapsed, Is.LessThan(Bound), () => $"{node} never said {expected}; last: {health}\n{logs?.Invoke()}");
            await Task.Delay(50);
        }
    }

    public static Task BrokerAsync(Uri node, string state, Func<string>? logs = null) => WaitForAsync(node, $"\"broker\":\"{state}\"", logs);
}
