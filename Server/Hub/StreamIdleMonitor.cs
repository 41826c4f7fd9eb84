using Microsoft.Extensions.Options;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Hub;

/// <summary>Announces <c>stream-stopped</c> (idle) for senders that went quiet without saying so.</summary>
internal sealed class StreamIdleMonitor : BackgroundService
{
    private readonly RoomRegistry _rooms;
    private readonly TimeSpan _idle;

    public StreamIdleMonitor(RoomRegistry rooms, IOptions<RelayOptions> options)
    {
        _rooms = rooms;
        _idle = options.Value.StreamIdleTimeout;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A tenth of the idle time keeps the announcement within 10% of its due time.
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_idle.TotalMilliseconds / 10, 20, 1000));
        using var timer = new PeriodicTimer(period);
        long idleMs = (long)_idle.TotalMilliseconds;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                long now = Environment.TickCount64;
                foreach (var room in _rooms.Rooms)
                {
                    room.StopIdleStreams(now, idleMs);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
