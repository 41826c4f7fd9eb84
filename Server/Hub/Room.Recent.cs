using System.Diagnostics;
using WsAudio.Protocol.Framing;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>The room's recent audio, kept only once a member asks for it, and the observers of its audio.</summary>
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
        var frames = Volatile.Read(ref _recent)?.Since(Stopwatch.GetTimestamp() - (long)(window.TotalSeconds * Stopwatch.Frequency)) ?? [];
        var live = new HashSet<uint>();
        lock (_gate)
        {
            foreach (var sender in _senders)
            {
                if (sender.AnnouncedLive)
                {
                    live.Add(sender.StreamId!.Value);
                }
            }

            foreach (var remote in _remote.Values)
            {
                if (remote.LiveFormat is not null)
                {
                    live.Add(remote.Info.StreamId!.Value);
                }
            }
        }

        uint? newest = null;
        for (int i = frames.Count - 1; i >= 0 && newest is null; i--)
        {
            if (AudioFrameHeader.TryRead(frames[i].Payload.Span, out var header) == FrameError.None && live.Contains(header.StreamId))
            {
                newest = header.StreamId;
            }
        }

        var kept = new List<SharedFrame>(frames.Count);
        foreach (var frame in frames)
        {
            if (newest is { } stream && AudioFrameHeader.TryRead(frame.Payload.Span, out var header) == FrameError.None && header.StreamId == stream)
            {
                kept.Add(frame);
            }
            else
            {
                frame.Release();
            }
        }

        return kept;
    }
}
