using WsAudio.Protocol.Framing;

namespace WsAudio.Cli.Bot;

/// <summary>Counters every bot connection adds to; read by the progress line and the report.</summary>
internal sealed class LoadStats
{
    private long _opened;
    private long _failed;
    private long _reconnects;
    private long _sent;
    private long _sendSkipped;
    private long _received;
    private long _lost;
    private long _outOfOrder;
    private long _late;
    private long _jitterMicrosSum;
    private long _jitterSamples;

    public LatencyRecorder Latency { get; } = new();

    /// <summary>Taps' frames, timed from the speaker's capture time to their arrival.</summary>
    public LatencyRecorder TapLatency { get; } = new();

    public long Opened => Interlocked.Read(ref _opened);

    public long Failed => Interlocked.Read(ref _failed);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Frames a speaker could not send on time because its previous send had not finished.</summary>
    public long SendSkipped => Interlocked.Read(ref _sendSkipped);

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Sequence gaps seen by receivers.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public long Late => Interlocked.Read(ref _late);

    /// <summary>Mean of the receivers' RFC 3550 interarrival jitter, ms.</summary>
    public double JitterMs => Interlocked.Read(ref _jitterSamples) == 0 ? 0 : Interlocked.Read(ref _jitterMicrosSum) / 1000.0 / Interlocked.Read(ref _jitterSamples);

    public void ConnectionOpened() => Interlocked.Increment(ref _opened);

    public void ConnectionFailed() => Interlocked.Increment(ref _failed);

    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    public void FrameSent() => Interlocked.Increment(ref _sent);

    public void FrameSkipped() => Interlocked.Increment(ref _sendSkipped);

    public void FrameReceived(long latencyMicros, long lateMicros)
    {
        Interlocked.Increment(ref _received);
        Latency.Record(latencyMicros);
        if (latencyMicros > lateMicros)
        {
            Interlocked.Increment(ref _late);
        }
    }

    public void TapReceived(long latencyMicros) => TapLatency.Record(latencyMicros);

    public void FramesLost(long count) => Interlocked.Add(ref _lost, count);

    /// <summary>
    /// Counts one frame a receiver got, captured at <paramref name="captureMicros"/> (µs since the Unix epoch):
    /// its stream's order and gaps through <paramref name="tracker"/>, its latency against now.
    /// </summary>
    public void Receive(StreamTracker tracker, uint sequence, long captureMicros, long lateMicros)
    {
        long transit = CaptureClock.NowMicros() - captureMicros;
        long gap = tracker.Accept(sequence, transit);
        if (gap < 0)
        {
            FrameOutOfOrder();
            return;
        }

        if (gap > 0)
        {
            FramesLost(gap);
        }

        FrameReceived(transit, lateMicros);
    }

    public void FrameOutOfOrder() => Interlocked.Increment(ref _outOfOrder);

    /// <summary>Adds one receiver-stream's final jitter estimate.</summary>
    public void AddJitter(double micros)
    {
        Interlocked.Add(ref _jitterMicrosSum, (long)micros);
        Interlocked.Increment(ref _jitterSamples);
    }
}
