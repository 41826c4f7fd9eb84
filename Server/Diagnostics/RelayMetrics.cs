using System.Diagnostics.Metrics;

namespace WsAudio.Server.Diagnostics;

/// <summary>
/// The relay's counters. Hot-path updates are interlocked adds, those of the send path to counters striped by
/// processor (<see cref="StripedCounters"/>); the same values are published as observable
/// instruments on the <c>WsAudio.Server</c> meter (for dotnet-counters and OpenTelemetry) and rendered by
/// <c>/metrics</c> in the Prometheus text format.
/// </summary>
internal sealed class RelayMetrics : IDisposable
{
    public const string MeterName = "WsAudio.Server";

    private readonly Meter _meter = new(MeterName, "1.0");
    private long _connections;
    private long _connectionsTotal;
    private long _framesIn;
    private long _bytesIn;
    private long _dropped;
    private long _sendErrors;

    // Written-to-socket counts, added to for every write to every receiver from every core.
    private const int FramesOutCounter = 0;
    private const int BytesOutCounter = 1;
    private const int ControlOutCounter = 2;
    private readonly StripedCounters _sent = new(3);

    public RelayMetrics(Func<int> rooms, Func<(long Total, int Max)> queueDepths)
    {
        _meter.CreateObservableUpDownCounter("wsaudio.connections", () => Connections, description: "Open WebSocket connections");
        _meter.CreateObservableCounter("wsaudio.connections.accepted", () => ConnectionsTotal, description: "WebSocket connections accepted");
        _meter.CreateObservableUpDownCounter("wsaudio.rooms", rooms, description: "Rooms with at least one member");
        _meter.CreateObservableCounter("wsaudio.frames.received", () => FramesIn, description: "Audio frames received from senders");
        _meter.CreateObservableCounter("wsaudio.frames.received.bytes", () => BytesIn, "By", "Bytes of audio frames received");
        _meter.CreateObservableCounter("wsaudio.frames.sent", () => FramesOut, description: "Audio frames written to receivers' sockets");
        _meter.CreateObservableCounter("wsaudio.frames.sent.bytes", () => BytesOut, "By", "Bytes of audio frames written");
        _meter.CreateObservableCounter("wsaudio.frames.dropped", () => Dropped, description: "Audio frames dropped because a receiver fell behind");
        _meter.CreateObservableCounter("wsaudio.control.sent", () => ControlOut, description: "Control messages written");
        _meter.CreateObservableCounter("wsaudio.send.errors", () => SendErrors, description: "Socket writes that failed");
        _meter.CreateObservableUpDownCounter("wsaudio.queue.depth", () => queueDepths().Total, description: "Messages waiting in all outbound queues");
        ForwardLatencyInstrument = _meter.CreateHistogram<double>("wsaudio.forward.latency", "s", "From receiving a frame to writing it to a receiver's socket");
        QueueDepths = queueDepths;
        Rooms = rooms;
    }

    public Func<int> Rooms { get; }

    public Func<(long Total, int Max)> QueueDepths { get; }

    /// <summary>Receive → socket-write latency of every delivered frame.</summary>
    public LatencyHistogram ForwardLatency { get; } = new();

    /// <summary>The same, for meter listeners; recorded only while one listens.</summary>
    public Histogram<double> ForwardLatencyInstrument { get; }

    public long Connections => Interlocked.Read(ref _connections);

    public long ConnectionsTotal => Interlocked.Read(ref _connectionsTotal);

    public long FramesIn => Interlocked.Read(ref _framesIn);

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public long FramesOut => _sent.Sum(FramesOutCounter);

    public long BytesOut => _sent.Sum(BytesOutCounter);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long SendErrors => Interlocked.Read(ref _sendErrors);

    public long ControlOut => _sent.Sum(ControlOutCounter);

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _connections);
        Interlocked.Increment(ref _connectionsTotal);
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    public void FrameReceived(int bytes)
    {
        Interlocked.Increment(ref _framesIn);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    /// <summary>Counts one socket write's audio frames and control messages.</summary>
    public void Sent(int frames, long bytes, int control)
    {
        if (frames > 0)
        {
            _sent.Add(FramesOutCounter, frames);
            _sent.Add(BytesOutCounter, bytes);
        }

        if (control > 0)
        {
            _sent.Add(ControlOutCounter, control);
        }
    }

    /// <summary>Records the receive → socket-write latency of one frame written to one receiver.</summary>
    public void FrameLatency(long ticks)
    {
        ForwardLatency.RecordTicks(ticks);
        if (ForwardLatencyInstrument.Enabled)
        {
            ForwardLatencyInstrument.Record((double)ticks / System.Diagnostics.Stopwatch.Frequency);
        }
    }

    public void FramesDropped(int count) => Interlocked.Add(ref _dropped, count);

    public void SendFailed() => Interlocked.Increment(ref _sendErrors);

    public void Dispose() => _meter.Dispose();
}
