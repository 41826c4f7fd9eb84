using WsAudio.Server.Transport;

namespace WsAudio.Tests.Relay;

/// <summary>One connection's queue on its own: order, dropping, and rings given back while the consumer waits.</summary>
public sealed class OutboundQueueTests
{
    private static SharedFrame Audio(byte marker) => SharedFrame.RentAudio([marker, 0, 0, 0]);

    private static SharedFrame Event(byte marker) => SharedFrame.ForText([(byte)'"', marker, (byte)'"']);

    private static List<string> Drain(OutboundQueue queue)
    {
        var batch = new List<SharedFrame>();
        queue.TryDequeue(batch, 1000, out _);
        var seen = batch.Select(f => (f.IsAudio ? "a" : "e") + f.Payload.Span[f.IsAudio ? 0 : 1]).ToList();
        batch.ForEach(f => f.Release());
        return seen;
    }

    [Test]
    public void TrimEmptyRings_BetweenBursts_KeepsWhatWaitsAndQueuesInOrderAfter()
    {
        var queue = new OutboundQueue(audioLimit: 2, controlLimit: 4);
        queue.Enqueue(Audio(1));
        queue.Enqueue(Event(2));
        queue.Enqueue(Audio(3));
        Assert.That(Drain(queue), Is.EqualTo(new[] { "a1", "e2", "a3" }));

        // Both rings empty: given back. Then one waits, and a trim must leave it.
        queue.TrimEmptyRings();
        queue.Enqueue(Audio(4));
        queue.TrimEmptyRings();
        queue.Enqueue(Event(5));
        queue.Enqueue(Audio(6));
        queue.Enqueue(Audio(7));

        Assert.Multiple(() =>
        {
            Assert.That(Drain(queue), Is.EqualTo(new[] { "e5", "a6", "a7" }), "the oldest audio dropped for the newest, the event kept, in order");
            Assert.That(queue.Dropped, Is.EqualTo(1));
        });
    }
}
