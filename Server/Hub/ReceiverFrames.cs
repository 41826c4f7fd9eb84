using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>Which of a fan-out's frames one receiver gets.</summary>
internal static class ReceiverFrames
{
    /// <summary>
    /// <paramref name="frames"/> without those <paramref name="receiver"/> must not get from a fan-out: its own, and
    /// those numbered up to its join burst's newest. The references taken for it on the frames left out are released;
    /// <paramref name="scratch"/> holds the rest when some are left out (grown as needed).
    /// </summary>
    public static ReadOnlySpan<SharedFrame> For(Participant receiver, ReadOnlySpan<SharedFrame> frames, ReadOnlySpan<Participant?> senders, ref SharedFrame[] scratch)
    {
        long burst = receiver.BurstThrough;
        int left = 0;
        for (int i = 0; i < frames.Length; i++)
        {
            if (Skips(receiver, burst, frames[i], i < senders.Length ? senders[i] : null))
            {
                left++;
            }
        }

        if (left == 0)
        {
            return frames;
        }

        if (scratch.Length < frames.Length)
        {
            scratch = new SharedFrame[frames.Length];
        }

        int kept = 0;
        for (int i = 0; i < frames.Length; i++)
        {
            if (Skips(receiver, burst, frames[i], i < senders.Length ? senders[i] : null))
            {
                frames[i].Release();
            }
            else
            {
                scratch[kept++] = frames[i];
            }
        }

        return scratch.AsSpan(0, kept);
    }

    private static bool Skips(Participant receiver, long burst, SharedFrame frame, Participant? sender) =>
        ReferenceEquals(sender, receiver) || (frame.Ordinal != 0 && frame.Ordinal <= burst);
}
