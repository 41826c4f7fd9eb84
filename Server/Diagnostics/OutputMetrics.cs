namespace WsAudio.Server.Diagnostics;

/// <summary>Counts of the room outputs, for <c>/metrics</c>: taps, streams decoded, recordings.</summary>
internal sealed class OutputMetrics
{
    private long _taps;
    private long _tapDrops;
    private long _decoded;
    private long _discarded;
    private long _recordings;
    private long _recordingFailures;
    private long _recordedBytes;

    /// <summary>Taps connected now.</summary>
    public long Taps => Interlocked.Read(ref _taps);

    /// <summary>Tap frames dropped because the tap read too slowly.</summary>
    public long TapFramesDropped => Interlocked.Read(ref _tapDrops);

    /// <summary>Streams being decoded now.</summary>
    public long DecodedStreams => Interlocked.Read(ref _decoded);

    /// <summary>Frames the outputs could not use: undecodable, or a duplicate or older than what was already placed.</summary>
    public long DiscardedFrames => Interlocked.Read(ref _discarded);

    /// <summary>Rooms being recorded now.</summary>
    public long Recordings => Interlocked.Read(ref _recordings);

    /// <summary>Recordings stopped because they could not be written.</summary>
    public long RecordingFailures => Interlocked.Read(ref _recordingFailures);

    /// <summary>Bytes written to recording files.</summary>
    public long RecordedBytes => Interlocked.Read(ref _recordedBytes);

    public void TapJoined() => Interlocked.Increment(ref _taps);

    public void TapLeft() => Interlocked.Decrement(ref _taps);

    public void TapFrameDropped() => Interlocked.Increment(ref _tapDrops);

    public void DecodingChanged(int delta) => Interlocked.Add(ref _decoded, delta);

    public void FramesDiscarded(long count) => Interlocked.Add(ref _discarded, count);

    public void RecordingStarted() => Interlocked.Increment(ref _recordings);

    public void RecordingStopped() => Interlocked.Decrement(ref _recordings);

    public void RecordingFailed() => Interlocked.Increment(ref _recordingFailures);

    public void Recorded(long bytes) => Interlocked.Add(ref _recordedBytes, bytes);
}
