using WsAudio.Protocol.Messages;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Outputs;

/// <summary>
/// The rooms' outputs: a room has a <see cref="RoomOutput"/> while players of its listen URL or taps use it, and none
/// otherwise, so rooms that use no output pay nothing for them.
/// </summary>
internal sealed class RoomOutputs
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Room, RoomOutput> _outputs = [];
    private readonly RadioMetrics _radio;
    private readonly OutputMetrics _metrics;

    public RoomOutputs(RadioMetrics radio, OutputMetrics metrics)
    {
        _radio = radio;
        _metrics = metrics;
    }

    /// <summary>A player of the room's listen URL: it gets the room's mix whenever the room needs one.</summary>
    public void Subscribe(Room room, OutboundQueue subscriber)
    {
        lock (_gate)
        {
            For(room).Listen.Subscribe(subscriber);
        }
    }

    public Task UnsubscribeAsync(Room room, OutboundQueue subscriber) => ReleaseAsync(room, output => output.Listen.Unsubscribe(subscriber));

    /// <summary>A tap that joined the room: from now on it gets the room's speech as it asked.</summary>
    public void AddTap(Room room, Participant tap, TapMode mode, int sampleRate)
    {
        lock (_gate)
        {
            For(room).AddTap(tap, mode, sampleRate);
        }

        _metrics.TapJoined();
    }

    public Task RemoveTapAsync(Room room, Participant tap)
    {
        _metrics.TapLeft();
        return ReleaseAsync(room, output => output.RemoveTap(tap));
    }

    private RoomOutput For(Room room)
    {
        if (!_outputs.TryGetValue(room, out var output))
        {
            output = new RoomOutput(room, _radio, _metrics);
            _outputs[room] = output;
        }

        return output;
    }

    private async Task ReleaseAsync(Room room, Action<RoomOutput> release)
    {
        RoomOutput? last = null;
        lock (_gate)
        {
            if (_outputs.TryGetValue(room, out var output))
            {
                release(output);
                if (output.Unused)
                {
                    _outputs.Remove(room);
                    last = output;
                }
            }
        }

        if (last is not null)
        {
            await last.DisposeAsync();
        }
    }
}
