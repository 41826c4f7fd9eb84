using WsAudio.Protocol;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Tests.Relay;

/// <summary>The room's receivers, read without a lock while members come and go.</summary>
public sealed class ReceiverListTests
{
    [Test]
    public void Read_WhileOthersJoinAndLeave_SeesEveryStayingReceiverExactlyOnce()
    {
        var list = new ReceiverList();
        var staying = Enumerable.Range(0, 1_000).Select(_ => NewReceiver()).ToArray();
        var passing = Enumerable.Range(0, 500).Select(_ => NewReceiver()).ToArray();

        // Interleaved, so the staying receivers share segments with the ones that come and go.
        for (int i = 0; i < staying.Length; i++)
        {
            list.Add(staying[i]);
            if (i < passing.Length)
            {
                list.Add(passing[i]);
            }
        }

        using var stop = new CancellationTokenSource();
        // A member that leaves and joins again is a new participant, as it is in a room.
        var churn = Task.Run(() =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                int i = random.Next(passing.Length);
                list.Remove(passing[i]);
                passing[i] = NewReceiver();
                list.Add(passing[i]);
            }
        });

        var seen = new Dictionary<Participant, int>(ReferenceEqualityComparer.Instance);
        int reads = 0;
        try
        {
            for (; reads < 3_000; reads++)
            {
                seen.Clear();
                var snapshot = list.Read();
                for (int s = 0; s < snapshot.SegmentCount; s++)
                {
                    foreach (var receiver in snapshot.Segment(s))
                    {
                        seen[receiver] = seen.GetValueOrDefault(receiver) + 1;
                    }
                }

                if (staying.Any(r => seen.GetValueOrDefault(r) != 1) || seen.Values.Any(n => n != 1))
                {
                    break;
                }
            }
        }
        finally
        {
            stop.Cancel();
            churn.Wait();
        }

        Assert.Multiple(() =>
        {
            Assert.That(reads, Is.EqualTo(3_000), "every read saw each staying receiver once and nobody twice");
            Assert.That(list.Count, Is.EqualTo(staying.Length + passing.Length));
        });
    }

    [Test]
    public void Remove_ThenAdd_ReusesTheFreedSlotInsteadOfGrowing()
    {
        var list = new ReceiverList();
        var receivers = Enumerable.Range(0, ReceiverList.SegmentSize * 3).Select(_ => NewReceiver()).ToArray();
        foreach (var receiver in receivers)
        {
            list.Add(receiver);
        }

        for (int round = 0; round < 1_000; round++)
        {
            var receiver = receivers[round % receivers.Length];
            Assert.That(list.Remove(receiver), Is.True);
            Assert.That(list.Remove(receiver), Is.False, "already gone");
            list.Add(receiver);
        }

        Assert.Multiple(() =>
        {
            Assert.That(list.Read().SegmentCount, Is.EqualTo(3));
            Assert.That(list.Count, Is.EqualTo(receivers.Length));
        });
    }

    private static Participant NewReceiver() =>
        new("", ParticipantRole.Listener, AudioFormat.Default, new OutboundQueue(audioLimit: 1, controlLimit: 16));
}
