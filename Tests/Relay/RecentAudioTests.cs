using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Tests.Relay;

/// <summary>A room's ring of recent frames: what a burst starts with, and how the frames in it are numbered.</summary>
public sealed class RecentAudioTests
{
    private static SharedFrame Frame(byte marker) => SharedFrame.RentAudio([marker, 0, 0, 0]);

    private static List<byte> Markers(List<SharedFrame> frames)
    {
        var markers = frames.Select(f => f.Payload.Span[0]).ToList();
        frames.ForEach(f => f.Release());
        return markers;
    }

    [Test]
    public void Add_MoreThanItKeeps_NumbersEveryFrameAndKeepsTheNewest()
    {
        var recent = new RecentAudio(capacity: 2);
        var frames = new[] { Frame(1), Frame(2), Frame(3) };
        foreach (var frame in frames)
        {
            recent.Add(frame);
        }

        var kept = recent.Since(0, out long newest);

        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => f.Ordinal), Is.EqualTo(new long[] { 1, 2, 3 }));
            Assert.That(newest, Is.EqualTo(3));
            Assert.That(Markers(kept), Is.EqualTo(new byte[] { 2, 3 }));
        });
    }

    [Test]
    public void Grow_AfterTheRingWrapped_KeepsWhatItHadInOrderAndRoomForMore()
    {
        var recent = new RecentAudio(capacity: 2);
        foreach (byte marker in new byte[] { 1, 2, 3 })
        {
            var frame = Frame(marker);
            recent.Add(frame);
            frame.Release();
        }

        recent.Grow(4);
        foreach (byte marker in new byte[] { 4, 5 })
        {
            var frame = Frame(marker);
            recent.Add(frame);
            frame.Release();
        }

        Assert.That(Markers(recent.Since(0)), Is.EqualTo(new byte[] { 2, 3, 4, 5 }));
    }
}
