using Microsoft.Extensions.Options;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Hub;

/// <summary>Sends each room's audience count, when it changed, once per update interval.</summary>
internal sealed class AudienceMonitor : BackgroundService
{
    private readonly RoomRegistry _rooms;
    private readonly TimeSpan _interval;

    public AudienceMonitor(RoomRegistry rooms, IOptions<PresenceOptions> options)
    {
        _rooms = rooms;
        _interval = options.Value.AudienceUpdateInterval;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var room in _rooms.Rooms)
                {
                    room.FlushAudience();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
