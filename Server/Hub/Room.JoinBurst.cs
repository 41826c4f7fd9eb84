using System.Runtime.InteropServices;
using WsAudio.Protocol;

namespace WsAudio.Server.Hub;

/// <summary>
/// A joiner's first audio: the frames of the room's live streams from the last <see cref="Hosting.PresenceOptions.JoinBurst"/>,
/// right after its <c>joined</c>, so its player can start at once instead of waiting for frames to come.
/// </summary>
internal sealed partial class Room
{
    // Ring room per second of burst: several streams at 20 ms, or streams of shorter frames.
    private const int JoinBurstFramesPerSecond = 250;

    // Used only under the room's lock.
    private readonly List<ArraySegment<byte>> _burstSegments = new(8);

    private static int JoinBurstCapacity(TimeSpan burst) =>
        burst <= TimeSpan.Zero ? 0 : Math.Max(4, (int)Math.Ceiling(burst.TotalSeconds * JoinBurstFramesPerSecond));

    // Before the joiner becomes a receiver: the frames of the burst go after 'joined' and before any the writers
    // give it, and the writers skip every frame numbered up to the burst's newest (BurstThrough), so no frame comes
    // twice. Like 'joined', which a new connection's idle queue writes at once, the burst is written at once, in one
    // gathering write: queued instead, every joiner would hold an audio ring from then on and wake its send loop
    // through the thread pool. The listen URL starts its players with a burst of its own (Radio:ListenBurst).
    private void SendJoinBurstLocked(Participant participant)
    {
        if (_presence.JoinBurst <= TimeSpan.Zero || !participant.Role.CanReceive() ||
            participant.Transport != Participant.WebSocketTransport)
        {
            return;
        }

        var frames = RecentFrames(_presence.JoinBurst, out participant.BurstThrough);

        // Frames of streams no longer live are left out: the joiner's 'joined' did not name them, so it would not
        // know their format, nor ever be told they stopped.
        KeepLiveFramesLocked(frames);
        if (frames.Count > 0)
        {
            int dropped = 0;
            int queued = participant.Outbound.EnqueueAudio(CollectionsMarshal.AsSpan(frames), ref dropped, _burstSegments);
            CountDelivered(queued, dropped);
        }
    }
}
