using Microsoft.Extensions.Options;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Transport;

/// <summary>
/// Closes connections that do not join in time or go silent (<see cref="LimitsOptions"/>), and keeps the others
/// alive with pings (<see cref="RelayOptions.KeepAliveInterval"/>): one pass over every connection, at most every
/// second, instead of a timer per connection.
/// </summary>
internal sealed class ConnectionMonitor : BackgroundService
{
    private readonly ConnectionRegistry _connections;
    private readonly TimeSpan _period;

    public ConnectionMonitor(ConnectionRegistry connections, IOptions<LimitsOptions> limits, IOptions<RelayOptions> relay)
    {
        _connections = connections;
        double shortest = limits.Value.JoinTimeout.TotalMilliseconds / 5;
        if (limits.Value.IdleTimeout > TimeSpan.Zero)
        {
            shortest = Math.Min(shortest, limits.Value.IdleTimeout.TotalMilliseconds / 5);
        }

        // A ping goes out, and a dead peer is cut off, within a quarter of the time set for it.
        var keepAlive = relay.Value;
        if (keepAlive.KeepAliveInterval > TimeSpan.Zero)
        {
            shortest = Math.Min(shortest, keepAlive.KeepAliveInterval.TotalMilliseconds / 4);
            if (keepAlive.KeepAliveTimeout > TimeSpan.Zero)
            {
                shortest = Math.Min(shortest, keepAlive.KeepAliveTimeout.TotalMilliseconds / 4);
            }
        }

        _period = TimeSpan.FromMilliseconds(Math.Clamp(shortest, 20, 1000));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                long now = Environment.TickCount64;
                foreach (var connection in _connections.Connections)
                {
                    if (!connection.IsClosing)
                    {
                        connection.Handler.OnTick(now);
                        connection.KeepAlive(now);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
