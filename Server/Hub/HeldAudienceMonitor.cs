using Microsoft.Extensions.Options;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Hub;

/// <summary>
/// With <see cref="PresenceOptions.AudienceWriteInterval"/> set, flushes the audience's held frames of a room whose
/// senders went quiet, which no further fan-out would write. Does nothing when the interval is zero.
/// </summary>
internal sealed class HeldAudienceMonitor : BackgroundService
{
    private readonly RoomRegistry _rooms;
    private readonly TimeSpan _interval;

    public HeldAudienceMonitor(RoomRegistry rooms, IOptions<PresenceOptions> options)
    {
        _rooms = rooms;
        _interval = options.Value.AudienceWriteInterval;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_interval <= TimeSpan.Zero)
        {
            return;
        }

        // Half the interval: a held frame waits at most one and a half intervals after its sender's last frame.
        using var timer = new PeriodicTimer(_interval / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                long now = Environment.TickCount64;
                foreach (var room in _rooms.Rooms)
                {
                    room.FlushOverdueAudience(now);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
