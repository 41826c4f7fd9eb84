using System.Diagnostics;
using WsAudio.Protocol.Framing;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>The room's recent audio, which joiners and listen-URL players start with, and the observers of its audio.</summary>
internal sealed partial class Room
{
    private RecentAudio? _recent;

    // Copied on change: the fan-out reads it without a lock. Empty in rooms without outputs.
    private IRoomAudioObserver[] _observers = [];

    /// <summary>From now on <paramref name="observer"/> sees every audio frame the room fans out.</summary>
    public void AddObserver(IRoomAudioObserver observer)
    {
        lock (_gate)
        {
            Volatile.Write(ref _observers, [.. _observers, observer]);
        }
    }

    public void RemoveObserver(IRoomAudioObserver observer)
    {
        lock (_gate)
        {
            Volatile.Write(ref _observers, [.. _observers.Where(o => !ReferenceEquals(o, observer))]);
        }
    }

    /// <summary>
    /// From now on the room keeps at least its last <paramref name="capacity"/> frames for <see cref="RecentFrames"/>;
    /// rooms that never call this (and have no join burst) pay nothing for it.
    /// </summary>
    public void KeepRecentAudio(int capacity)
    {
        if (Volatile.Read(ref _recent) is { } recent)
        {
            recent.Grow(capacity);
        }
        else if (Interlocked.CompareExchange(ref _recent, new RecentAudio(capacity), null) is { } raced)
        {
            raced.Grow(capacity);
        }
    }

    /// <summary>
    /// The frames of the newest live stream received within <paramref name="window"/>, oldest first, each with a
    /// reference the caller must release. Frames of streams that have stopped are left out: a listener starting
    /// with them would wait for a stop it was never told of.
    /// </summary>
    public List<SharedFrame> RecentFrames(TimeSpan window)
    {
        var frames = RecentFrames(window, out _);
        lock (_gate)
        {
            uint? newest = null;
            for (int i = frames.Count - 1; i >= 0 && newest is null; i--)
            {
                if (StreamOf(frames[i]) is { } stream && IsLiveLocked(stream))
                {
                    newest = stream;
                }
            }

            // With no live stream among them (newest null) none is kept.
            KeepLiveFramesLocked(frames, newest);
        }

        return frames;
    }

    // Every frame kept from within the window, each with a reference for the caller; newest is the ring's newest
    // ordinal (no frame added later has one as low).
    private List<SharedFrame> RecentFrames(TimeSpan window, out long newest)
    {
        if (Volatile.Read(ref _recent) is not { } recent)
        {
            newest = 0;
            return [];
        }

        return recent.Since(Stopwatch.GetTimestamp() - (long)(window.TotalSeconds * Stopwatch.Frequency), out newest);
    }

    // Keeps, in place and in order, the frames of live streams (of <paramref name="only"/>, when given); releases the
    // others.
    private void KeepLiveFramesLocked(List<SharedFrame> frames, uint? only = null)
    {
        int kept = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            if (StreamOf(frames[i]) is { } stream && (only is null || stream == only) && IsLiveLocked(stream))
            {
                frames[kept++] = frames[i];
            }
            else
            {
                frames[i].Release();
            }
        }

        frames.RemoveRange(kept, frames.Count - kept);
    }

    private static uint? StreamOf(SharedFrame frame) =>
        AudioFrameHeader.TryRead(frame.Payload.Span, out var header) == FrameError.None ? header.StreamId : null;

    private bool IsLiveLocked(uint streamId)
    {
        foreach (var sender in _senders)
        {
            if (sender.AnnouncedLive && sender.StreamId == streamId)
            {
                return true;
            }
        }

        foreach (var remote in _remote.Values)
        {
            if (remote.LiveFormat is not null && remote.Info.StreamId == streamId)
            {
                return true;
            }
        }

        return false;
    }
}
