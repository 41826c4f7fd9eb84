namespace WsAudio.Server.Diagnostics;

/// <summary>Counts of the radio side, for <c>/metrics</c>: players of listen URLs, Icecast sources, room mixes.</summary>
internal sealed class RadioMetrics
{
    private long _listeners;
    private long _pages;
    private long _sources;
    private long _mixing;

    /// <summary>Players connected to a listen URL now.</summary>
    public long Listeners => Interlocked.Read(ref _listeners);

    /// <summary>Audio pages written to players.</summary>
    public long Pages => Interlocked.Read(ref _pages);

    /// <summary>Icecast sources broadcasting now.</summary>
    public long Sources => Interlocked.Read(ref _sources);

    /// <summary>Rooms whose mix is being made now.</summary>
    public long Mixing => Interlocked.Read(ref _mixing);

    public void ListenerJoined() => Interlocked.Increment(ref _listeners);

    public void ListenerLeft() => Interlocked.Decrement(ref _listeners);

    public void PagesWritten(int count) => Interlocked.Add(ref _pages, count);

    public void SourceStarted() => Interlocked.Increment(ref _sources);

    public void SourceEnded() => Interlocked.Decrement(ref _sources);

    public void MixStarted() => Interlocked.Increment(ref _mixing);

    public void MixStopped() => Interlocked.Decrement(ref _mixing);
}
