using Microsoft.Extensions.Options;
using WsAudio.Protocol;
using WsAudio.Server.Hub;

namespace WsAudio.Server.Radio;

/// <summary>
/// Has rooms keep their last <see cref="RadioOptions.ListenBurst"/> of audio, for listen-URL listeners to start
/// with: rooms with a broadcaster (radio, where the listen URL is used) from its join on, and any room once a
/// listen-URL listener came. Voice rooms of speakers keep nothing until then.
/// </summary>
internal sealed class ListenBurst
{
    // Room for frames shorter than 20 ms, or several streams sharing the ring, within the burst.
    private const int FramesPerSecond = 100;

    public ListenBurst(RoomRegistry rooms, IOptions<RadioOptions> radio)
    {
        Window = radio.Value.ListenBurst;
        Capacity = (int)Math.Ceiling(Window.TotalSeconds * FramesPerSecond);
        if (Capacity > 0)
        {
            rooms.Joined += (room, participant) =>
            {
                if (participant.Role == ParticipantRole.Broadcaster)
                {
                    room.KeepRecentAudio(Capacity);
                }
            };
        }
    }

    public TimeSpan Window { get; }

    /// <summary>Frames a room keeps; 0 when there is no burst.</summary>
    public int Capacity { get; }
}
