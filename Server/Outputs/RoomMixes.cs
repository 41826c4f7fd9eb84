using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Outputs;

/// <summary>
/// The rooms' mixes: a room has one while it has subscribers (players of its listen URL) and none otherwise, so
/// rooms nobody plays over HTTP pay nothing for it.
/// </summary>
internal sealed class RoomMixes
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Room, RoomMix> _mixes = [];
    private readonly RadioMetrics _metrics;

    public RoomMixes(RadioMetrics metrics)
    {
        _metrics = metrics;
    }

    public void Subscribe(Room room, OutboundQueue subscriber)
    {
        lock (_gate)
        {
            if (!_mixes.TryGetValue(room, out var mix))
            {
                mix = new RoomMix(room, _metrics);
                _mixes[room] = mix;
            }

            mix.Subscribe(subscriber);
        }
    }

    public async Task UnsubscribeAsync(Room room, OutboundQueue subscriber)
    {
        RoomMix? last = null;
        lock (_gate)
        {
            if (_mixes.TryGetValue(room, out var mix) && mix.Unsubscribe(subscriber) == 0)
            {
                _mixes.Remove(room);
                last = mix;
            }
        }

        if (last is not null)
        {
            await last.DisposeAsync();
        }
    }
}
