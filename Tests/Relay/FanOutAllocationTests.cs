using WsAudio.Protocol;
using WsAudio.Server.Broker;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>The fan-out allocates per frame, never per subscriber (a property, not a timing).</summary>
public sealed class FanOutAllocationTests
{
    [Test]
    public void PublishAudio_To1000Receivers_AllocatesNoMoreThanTo10()
    {
        long perFrameFor10 = BytesPerPublish(10);
        long perFrameFor1000 = BytesPerPublish(1000);
        TestContext.Out.WriteLine($"bytes allocated per published frame: {perFrameFor10} with 10 receivers, {perFrameFor1000} with 1000");

        Assert.That(perFrameFor10, Is.LessThan(256), "per-frame bookkeeping stays small");
        Assert.That(perFrameFor1000, Is.LessThanOrEqualTo(perFrameFor10 + 8), "nothing is allocated per receiver");
    }

    private static long BytesPerPublish(int receivers)
    {
        const int Publishes = 2000;
        var room = new Room("alloc", new LocalRoomBroker(), new RelayMetrics(() => 0, () => (0, 0)));
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
            room.PublishAudio(sender, frame, endOfStream: false);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Publishes; i++)
        {
            room.PublishAudio(sender, frame, endOfStream: false);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Publishes;
    }
}
