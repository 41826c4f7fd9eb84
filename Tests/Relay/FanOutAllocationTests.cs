using WsAudio.Protocol;
using WsAudio.Server.Broker;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hosting;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// The fan-out allocates per frame, never per subscriber (a property, not a timing). Counted over every thread: the
/// writes to the receivers run on the thread pool.
/// </summary>
public sealed class FanOutAllocationTests
{
    // False: every frame goes to every receiver as it comes. True: everyone is audience, whose frames are held and
    // queued together every fifth frame (flushed here, as the interval would, without waiting for it).
    [TestCase(false)]
    [TestCase(true)]
    public void PublishAudio_To1000Receivers_AllocatesNoMoreThanTo10(bool held)
    {
        var presence = held ? new PresenceOptions { ListedListeners = 0, AudienceWriteInterval = TimeSpan.FromHours(1) } : new PresenceOptions();
        long perFrameFor10 = BytesPerPublish(10, presence);
        long perFrameFor1000 = BytesPerPublish(1000, presence);
        TestContext.Out.WriteLine($"bytes allocated per published frame: {perFrameFor10} with 10 receivers, {perFrameFor1000} with 1000");

        Assert.That(perFrameFor10, Is.LessThan(256), "per-frame bookkeeping stays small");
        Assert.That(perFrameFor1000, Is.LessThanOrEqualTo(perFrameFor10 + 8), "nothing is allocated per receiver");
    }

    private static long BytesPerPublish(int receivers, PresenceOptions presence)
    {
        const int Publishes = 2000;
        var room = new Room("alloc", new LocalRoomBroker(), new RelayMetrics(() => 0, () => (0, 0)), presence);
        for (int i = 0; i < receivers; i++)
        {
            room.TryJoin(new Participant("", ParticipantRole.Listener, AudioFormat.Default, new OutboundQueue(audioLimit: 50, controlLimit: 100_000)));
        }

        var sender = new Participant("", ParticipantRole.Broadcaster, AudioFormat.Default, new OutboundQueue(50, 100_000));
        room.TryJoin(sender);
        byte[] frame = Frames.Audio(sender.StreamId!.Value, 0, Frames.Payload(0));

        // Warm up: queues grow to their depth and start dropping their oldest frame, as a stalled room would.
        for (int i = 0; i < 200; i++)
        {
            Publish(room, sender, frame, i);
        }

        // The least of three rounds: whatever else the test process allocates meanwhile only adds.
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < Publishes; i++)
            {
                Publish(room, sender, frame, i);
            }

            least = Math.Min(least, (GC.GetTotalAllocatedBytes(precise: true) - before) / Publishes);
        }

        return least;
    }

    // Each frame is seen through to the queues before the next, as at 50 frames a second.
    private static void Publish(Room room, Participant sender, byte[] frame, int index)
    {
        room.PublishAudio(sender, frame, endOfStream: false);
        if (index % 5 == 4)
        {
            room.FlushOverdueAudience(Environment.TickCount64 + (long)TimeSpan.FromHours(2).TotalMilliseconds);
        }

        room.QueuePendingAudio();
    }
}
