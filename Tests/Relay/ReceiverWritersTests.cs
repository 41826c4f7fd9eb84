using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using WsAudio.Protocol;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// The writers that hand a room's frames to its receivers from the thread pool: every receiver gets every frame but
/// its own, once and in order, whichever run (a pool thread's or a flush before an event) hands them over.
/// </summary>
public sealed class ReceiverWritersTests
{
    private static Participant NewReceiver(ParticipantRole role = ParticipantRole.Listener) =>
        new("", role, AudioFormat.Default, new OutboundQueue(audioLimit: 100, controlLimit: 10));

    private static SharedFrame Frame(byte marker) => SharedFrame.RentAudio([marker, 0, 0, 0]);

    private static List<byte> Markers(Participant receiver)
    {
        var batch = new List<SharedFrame>();
        receiver.Outbound.TryDequeue(batch, 1000, out _);
        var markers = batch.Select(f => f.Payload.Span[0]).ToList();
        batch.ForEach(f => f.Release());
        return markers;
    }

    [Test]
    public void Flush_FramesOfSeveralSenders_EachReceiverGetsTheOthersInOrder()
    {
        var list = new ReceiverList();
        var alice = NewReceiver(ParticipantRole.Speaker);
        var bob = NewReceiver(ParticipantRole.Speaker);
        var carol = NewReceiver();
        list.Add(alice);
        list.Add(bob);
        list.Add(carol);
        int delivered = 0;
        var writers = new ReceiverWriters(list, writers: 1, (queued, _) => Interlocked.Add(ref delivered, queued), "room", NullLogger.Instance);

        var frames = new[] { (Frame(1), alice), (Frame(2), bob), (Frame(3), (Participant?)null), (Frame(4), alice) };
        foreach (var (frame, sender) in frames)
        {
            writers.Add(frame, sender, segments: 1);
            frame.Release();
        }

        // Whatever a pool thread has not taken yet is handed over here, after the run in progress.
        writers.Flush();

        Assert.That(Markers(alice), Is.EqualTo(new byte[] { 2, 3 }));
        Assert.That(Markers(bob), Is.EqualTo(new byte[] { 1, 3, 4 }));
        Assert.That(Markers(carol), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(delivered, Is.EqualTo(9));
    }

    // A joiner's burst held the room's frames numbered up to 2: from a fan-out it gets only later and unnumbered ones.
    [Test]
    public void Flush_ReceiverThatStartedWithABurst_SkipsTheFramesItCovers()
    {
        var list = new ReceiverList();
        var earlier = NewReceiver();
        var joiner = NewReceiver();
        joiner.BurstThrough = 2;
        list.Add(earlier);
        list.Add(joiner);
        int delivered = 0;
        var writers = new ReceiverWriters(list, writers: 1, (queued, _) => Interlocked.Add(ref delivered, queued), "room", NullLogger.Instance);

        foreach (var (marker, ordinal) in new (byte, long)[] { (1, 1), (2, 2), (3, 3), (4, 0) })
        {
            var frame = Frame(marker);
            frame.Ordinal = ordinal;
            writers.Add(frame, sender: null, segments: 1);
            frame.Release();
        }

        writers.Flush();

        Assert.That(Markers(earlier), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(Markers(joiner), Is.EqualTo(new byte[] { 3, 4 }));
        Assert.That(delivered, Is.EqualTo(6));
    }

    // An event the writers carry among the audio (the audience's count) waits as control: a receiver too slow for
    // its audio loses the oldest frames, never the event, and still gets everything in the order it was added.
    [Test]
    public void Flush_EventAmongFramesToAFullQueue_KeepsTheEventAndDropsTheOldestAudio()
    {
        var list = new ReceiverList();
        var slow = new Participant("", ParticipantRole.Listener, AudioFormat.Default, new OutboundQueue(audioLimit: 2, controlLimit: 10));
        list.Add(slow);
        int delivered = 0;
        int dropped = 0;
        var writers = new ReceiverWriters(list, writers: 1, (queued, lost) =>
        {
            Interlocked.Add(ref delivered, queued);
            Interlocked.Add(ref dropped, lost);
        }, "room", NullLogger.Instance);

        var added = new[] { Frame(1), Frame(2), SharedFrame.ForText("{\"type\":\"audience\",\"count\":2}"u8), Frame(3), Frame(4) };
        foreach (var frame in added)
        {
            writers.Add(frame, sender: null, segments: 1);
            frame.Release();
        }

        writers.Flush();

        var batch = new List<SharedFrame>();
        slow.Outbound.TryDequeue(batch, 1000, out _);
        var seen = batch.Select(f => f.IsAudio ? f.Payload.Span[0].ToString() : "event").ToList();
        batch.ForEach(f => f.Release());
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(new[] { "event", "3", "4" }));
            Assert.That(delivered, Is.EqualTo(4), "audio frames queued; the event is not one");
            Assert.That(dropped, Is.EqualTo(2));
        });
    }

    // Three segments of 128 shared by two writers: each receiver is some writer's, and only one's.
    [Test]
    public void Flush_ReceiversInSeveralSegmentsAndTwoWriters_EveryReceiverGetsEveryFrameOnce()
    {
        var list = new ReceiverList();
        var receivers = Enumerable.Range(0, 300).Select(_ => NewReceiver()).ToArray();
        foreach (var receiver in receivers)
        {
            list.Add(receiver);
        }

        var writers = new ReceiverWriters(list, writers: 2, (_, _) => { }, "room", NullLogger.Instance);
        for (byte marker = 0; marker < 20; marker++)
        {
            var frame = Frame(marker);
            writers.Add(frame, sender: null, list.Read().SegmentCount);
            frame.Release();
        }

        writers.Flush();

        var expected = Enumerable.Range(0, 20).Select(i => (byte)i).ToArray();
        Assert.That(receivers.Select(Markers), Has.All.EqualTo(expected));
    }

    // A run on a thread-pool thread, where an exception would end the process: a receiver that fails in a way nothing
    // foresaw (here, its connection's broken-callback throws) costs only itself the frame, and the failure is logged.
    [Test]
    public async Task Add_AReceiverThrows_TheNextStillGetsTheFrameAndTheFailureIsLogged()
    {
        var list = new ReceiverList();
        using var unconnected = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var failing = new Participant("", ParticipantRole.Listener, AudioFormat.Default,
            new OutboundQueue(audioLimit: 100, controlLimit: 10, writer: new SocketWireWriter(unconnected), owner: new FailsUnforeseen()));
        var healthy = NewReceiver();
        list.Add(failing);
        list.Add(healthy);
        var failingWoken = failing.Outbound.WaitAsync().AsTask();
        var woken = healthy.Outbound.WaitAsync().AsTask();
        var logs = new CapturingLoggerProvider();
        var writers = new ReceiverWriters(list, writers: 1, (_, _) => { }, "room", logs.CreateLogger("room"));

        var frame = Frame(7);
        writers.Add(frame, sender: null, segments: 1);
        frame.Release();

        Assert.That(await woken.WaitAsync(Timeouts.Event), Is.True, "the healthy receiver's consumer was woken for the frame");
        Assert.That(Markers(healthy), Is.EqualTo(new byte[] { 7 }));
        Assert.That(await failingWoken.WaitAsync(Timeouts.Event), Is.True, "the failing receiver's consumer was woken to end");
        Assert.That(failing.Outbound.IsClosed, Is.True);
        var logged = await logs.WaitForAsync(e => e.EventId.Id == 53);
        Assert.That(logged.Message, Does.Contain("room"));
        Assert.That(logs.Entries.Count(e => e.EventId.Id == 53), Is.EqualTo(1));
    }

    // A connection whose broken-callback throws, which nothing in the server does.
    private sealed class FailsUnforeseen : IOutboundOwner
    {
        public void OnOverflow()
        {
        }

        public void OnWritten(ReadOnlySpan<SharedFrame> frames)
        {
        }

        public void OnBroken() => throw new InvalidOperationException("unforeseen");
    }
}
