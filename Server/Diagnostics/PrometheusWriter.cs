using System.Diagnostics;
using System.Globalization;
using System.Text;
using WsAudio.Server.Broker;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Diagnostics;

/// <summary>Renders the relay's metrics and the process's CPU and memory in the Prometheus text format (0.0.4).</summary>
internal static class PrometheusWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(RelayMetrics metrics, RadioMetrics radio, OutputMetrics outputs, IRoomBroker broker, ConnectionGate gate)
    {
        var text = new StringBuilder(4096);
        Gauge(text, "wsaudio_tcp_connections", "Open TCP connections of every kind (HTTP, WebSocket, half-sent requests).", gate.Open);
        Gauge(text, "wsaudio_tcp_connections_limit", "The cap on open TCP connections (Limits:MaxConnections); 0 for none.", gate.MaxConnections);
        Counter(text, "wsaudio_tcp_connections_refused_total", "TCP connections closed at once because the server's or an address's cap was reached.", gate.Refused);
        Counter(text, "wsaudio_connections_accepted_total", "WebSocket connections accepted.", metrics.ConnectionsTotal);
        Gauge(text, "wsaudio_connections", "Open WebSocket connections.", metrics.Connections);
        Gauge(text, "wsaudio_rooms", "Rooms with at least one member.", metrics.Rooms());
        Counter(text, "wsaudio_frames_received_total", "Audio frames received from senders.", metrics.FramesIn);
        Counter(text, "wsaudio_frames_received_bytes_total", "Bytes of audio frames received.", metrics.BytesIn);
        Counter(text, "wsaudio_frames_sent_total", "Audio frames written to receivers' sockets.", metrics.FramesOut);
        Counter(text, "wsaudio_frames_sent_bytes_total", "Bytes of audio frames written to receivers' sockets.", metrics.BytesOut);
        Counter(text, "wsaudio_frames_dropped_total", "Audio frames dropped because a receiver fell behind.", metrics.Dropped);
        Counter(text, "wsaudio_control_messages_sent_total", "Control messages written.", metrics.ControlOut);
        Counter(text, "wsaudio_send_errors_total", "Socket writes that failed.", metrics.SendErrors);
        var (total, max) = metrics.QueueDepths();
        Gauge(text, "wsaudio_queue_depth_messages", "Messages waiting in all outbound queues.", total);
        Gauge(text, "wsaudio_queue_depth_max_messages", "Messages waiting in the fullest outbound queue.", max);
        Gauge(text, "wsaudio_listen_url_listeners", "Players connected to a radio listen URL (also counted in their rooms' listeners).", radio.Listeners);
        Counter(text, "wsaudio_listen_url_pages_total", "Audio pages written to players of listen URLs.", radio.Pages);
        Gauge(text, "wsaudio_icecast_sources", "Icecast sources broadcasting.", radio.Sources);
        Gauge(text, "wsaudio_room_mixes", "Rooms whose mix the server is making (listen URLs of rooms with several streams or a PCM one).", radio.Mixing);
        Gauge(text, "wsaudio_taps", "Taps (speech-recognition feeds) connected; not counted in any room's members.", outputs.Taps);
        Counter(text, "wsaudio_tap_frames_dropped_total", "Tap frames dropped because the tap read too slowly.", outputs.TapFramesDropped);
        Gauge(text, "wsaudio_decoded_streams", "Streams the server is decoding for room outputs (taps, mixes).", outputs.DecodedStreams);
        Counter(text, "wsaudio_decoder_discarded_frames_total", "Frames the room outputs could not use: undecodable, duplicate, older than what was placed, or more than the output loop could queue.", outputs.DiscardedFrames);
        Gauge(text, "wsaudio_recordings", "Rooms being recorded.", outputs.Recordings);
        Counter(text, "wsaudio_recording_failures_total", "Recordings stopped because their files could not be written.", outputs.RecordingFailures);
        Counter(text, "wsaudio_recorded_bytes_total", "Bytes written to recording files.", outputs.RecordedBytes);
        Gauge(text, "wsaudio_broker_connected", "1 while this node reaches the message bus (also 1 for a single node).", broker.Status == "disconnected" ? 0 : 1);
        Counter(text, "wsaudio_broker_publish_dropped_total", "Messages for other nodes dropped because the bus could not keep up.", broker.PublishDrops);
        Histogram(text, "wsaudio_forward_latency_seconds", "From receiving a frame to writing it to a receiver's socket.", metrics.ForwardLatency);

        // The process metrics every Prometheus client library exports, under their conventional names.
        using var process = Process.GetCurrentProcess();
        Counter(text, "process_cpu_seconds_total", "CPU time of the server process (user and system), seconds.", process.TotalProcessorTime.TotalSeconds);
        Gauge(text, "process_resident_memory_bytes", "Resident memory of the server process.", process.WorkingSet64);
        Gauge(text, "process_virtual_memory_bytes", "Virtual memory of the server process.", process.VirtualMemorySize64);
        Gauge(text, "process_start_time_seconds", "When the server process started, seconds since the Unix epoch.", new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        Gauge(text, "process_open_fds", "Open file descriptors (handles elsewhere) of the server process.", OpenDescriptors(process));
        if (OpenFileLimit.Current() is { } limit)
        {
            Gauge(text, "process_max_fds", "The process's limit on open file descriptors.", limit);
        }

        Gauge(text, "dotnet_gc_heap_bytes", "Bytes on the managed heap.", GC.GetTotalMemory(forceFullCollection: false));
        Counter(text, "dotnet_gc_collections_total", "Garbage collections of generation 0 (which includes the others).", GC.CollectionCount(0));
        Counter(text, "dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.", GC.GetTotalAllocatedBytes());
        Counter(text, "dotnet_gc_pause_seconds_total", "Time the garbage collector paused the process, seconds.", GC.GetTotalPauseDuration().TotalSeconds);
        Gauge(text, "dotnet_threadpool_threads", "Thread-pool threads.", ThreadPool.ThreadCount);
        text.Append("# HELP wsaudio_build_info The server's version, as a label; the value is always 1.\n# TYPE wsaudio_build_info gauge\n");
        text.Append("wsaudio_build_info{version=\"").Append(Hosting.CommandLine.Version).Append("\"} 1\n");
        return text.ToString();
    }

    private static int OpenDescriptors(Process process)
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : process.HandleCount;
        }
        catch (IOException)
        {
            return process.HandleCount;
        }
    }

    private static void Counter(StringBuilder text, string name, string help, double value) => Metric(text, name, "counter", help, value);

    private static void Gauge(StringBuilder text, string name, string help, double value) => Metric(text, name, "gauge", help, value);

    private static void Metric(StringBuilder text, string name, string type, string help, double value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        text.Append(name).Append(' ').Append(Format(value)).Append('\n');
    }

    private static void Histogram(StringBuilder text, string name, string help, LatencyHistogram histogram)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" histogram\n");
        long[] counts = histogram.Snapshot();
        long cumulative = 0;
        for (int i = 0; i < LatencyHistogram.Bounds.Length; i++)
        {
            cumulative += counts[i];
            text.Append(name).Append("_bucket{le=\"").Append(Format(LatencyHistogram.Bounds[i])).Append("\"} ").Append(cumulative).Append('\n');
        }

        cumulative += counts[^1];
        text.Append(name).Append("_bucket{le=\"+Inf\"} ").Append(cumulative).Append('\n');
        text.Append(name).Append("_sum ").Append(Format(histogram.SumSeconds)).Append('\n');
        text.Append(name).Append("_count ").Append(cumulative).Append('\n');
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
