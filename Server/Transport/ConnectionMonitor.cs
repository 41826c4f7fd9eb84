using Microsoft.Extensions.Options;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Transport;

/// <summary>Closes connections that do not join in time or go silent (<see cref="LimitsOptions"/>).</summary>
internal sealed class ConnectionMonitor : BackgroundService
{
    private readonly ConnectionRegistry _connections;
    private readonly TimeSpan _period;

    public ConnectionMonitor(ConnectionRegistry connections, IOptions<LimitsOptions> limits)
    {
        _connections = connections;
        var shortest = limits.Value.IdleTimeout > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(limits.Value.JoinTimeout.Ticks, limits.Value.IdleTimeout.Ticks)) : limits.Value.JoinTimeout;
        _period = TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds / 5, 20, 1000));
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
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
