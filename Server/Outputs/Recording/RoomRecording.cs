using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Outputs.Recording;

/// <summary>
/// One recording of one room: every stream's frames, as they came, into a file of its own (Ogg Opus, or WAV for
/// PCM), and a JSON sidecar that says who is in which file and when. The room's fan-out only queues a reference to
/// each frame; a writer task does the disk work, so a slow or full disk costs the room nothing: frames that do not
/// fit the queue are counted, and a write the disk refuses ends the recording, not the room.
/// </summary>
internal sealed class RoomRecording : IRoomAudioObserver
{
    private readonly Channel<(SharedFrame Frame, DateTimeOffset At)> _inbox;
    private readonly Dictionary<uint, StreamEntry> _streams = [];
    private readonly OutputMetrics _metrics;
    private readonly Action<RoomRecording, string> _failed;
    private readonly Task _loop;
    private long _dropped;
    private DateTimeOffset? _stopped;
    private string? _error;

    /// <summary>Writes the sidecar at once: an <see cref="IOException"/> here means the folder cannot take it.</summary>
    public RoomRecording(Room room, string folder, string id, string startedBy, Participant? admin, int queueFrames, OutputMetrics metrics, Action<RoomRecording, string> failed)
    {
        Room = room;
        Folder = folder;
        Id = id;
        StartedBy = startedBy;
        Admin = admin;
        _metrics = metrics;
        _failed = failed;
        _inbox = Channel.CreateBounded<(SharedFrame, DateTimeOffset)>(new BoundedChannelOptions(queueFrames) { SingleReader = true });
        WriteSidecar();
        _loop = Task.Run(RunAsync);
    }

    public Room Room { get; }

    public string Folder { get; }

    public string Id { get; }

    public string StartedBy { get; }

    /// <summary>The admin who started it, told if it fails; null for rooms recorded by configuration.</summary>
    public Participant? Admin { get; }

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    /// <summary>Files, bytes written and frames dropped; final once <see cref="StopAsync"/> has completed.</summary>
    public (int Files, long Bytes, long Dropped) Totals => (_streams.Count, _streams.Values.Sum(e => e.File.Bytes), Interlocked.Read(ref _dropped));

    public void OnAudio(SharedFrame frame)
    {
        frame.AddReferences(1);
        if (!_inbox.Writer.TryWrite((frame, DateTimeOffset.UtcNow)))
        {
            frame.Release();
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is queued, closes the files and the sidecar.</summary>
    public Task StopAsync()
    {
        _inbox.Writer.TryComplete();
        return _loop;
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var (frame, at) in _inbox.Reader.ReadAllAsync())
            {
                try
                {
                    Write(frame.Payload.Span, at);
                }
                finally
                {
                    frame.Release();
                }
            }

            _stopped = DateTimeOffset.UtcNow;
            foreach (var entry in _streams.Values)
            {
                entry.File.Close();
            }

            WriteSidecar();
        }
        catch (Exception ex)
        {
            // Whatever failed (a full disk, a folder taken away, a bug), the room goes on unrecorded and is told.
            _error = ex.Message;
            _stopped = DateTimeOffset.UtcNow;
            foreach (var entry in _streams.Values)
            {
                entry.File.Dispose();
            }

            try
            {
                WriteSidecar();
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // The disk that failed the files may fail the sidecar too; the log says what happened.
            }

            _failed(this, ex.Message);
            _inbox.Writer.TryComplete();
            while (await _inbox.Reader.WaitToReadAsync())
            {
                while (_inbox.Reader.TryRead(out var left))
                {
                    left.Frame.Release();
                }
            }
        }
    }

    private void Write(ReadOnlySpan<byte> message, DateTimeOffset at)
    {
        if (AudioFrameHeader.TryRead(message, out var header) != FrameError.None)
        {
            return;
        }

        if (!_streams.TryGetValue(header.StreamId, out var entry))
        {
            // A stream's sender and format, from the room, once per stream; a frame of a stream already gone is left out.
            var label = Room.Status().Streams.FirstOrDefault(s => s.StreamId == header.StreamId);
            if (label is null || label.Format.Codec != header.Codec)
            {
                return;
            }

            entry = Open(label, at);
            _streams[header.StreamId] = entry;
            WriteSidecar();
        }

        long before = entry.File.Bytes;
        entry.File.Write(header, message[ProtocolConstants.HeaderSize..]);
        _metrics.Recorded(entry.File.Bytes - before);
        entry.Frames++;
        entry.Last = at;
        if (entry.NextSequence is { } expected && (int)(header.Sequence - expected) > 0)
        {
            entry.Lost += (int)(header.Sequence - expected);
        }

        entry.NextSequence = header.Sequence + 1;
    }

    private StreamEntry Open(StreamStatus label, DateTimeOffset at)
    {
        bool opus = label.Format.Codec == AudioCodec.Opus;
        string file = $"{Id}-{label.StreamId.ToString(CultureInfo.InvariantCulture)}.{(opus ? "opus" : "wav")}";
        string path = Path.Combine(Folder, file);
        IStreamFile stream = opus
            ? new OggOpusFile(path, label.Format.Channels, label.Name.Length > 0 ? label.Name : label.ParticipantId)
            : new WavStreamFile(path, label.Format.SampleRate, label.Format.Channels);
        return new StreamEntry(file, label, stream) { First = at, Last = at };
    }

    private void WriteSidecar()
    {
        var files = _streams.Values.Select(e => new RecordedStream(
            e.FileName,
            e.Label.StreamId,
            e.Label.ParticipantId,
            e.Label.Name,
            e.Label.Format.Codec == AudioCodec.Opus ? "opus" : "pcm16",
            e.Label.Format.SampleRate,
            e.Label.Format.Channels,
            Iso(e.First),
            Iso(e.Last),
            e.Frames,
            e.Lost,
            e.File.Bytes)).ToList();
        var participants = files.Select(f => new RecordedParticipant(f.ParticipantId, f.Name)).Distinct().ToList();
        string status = _error is not null ? "failed" : _stopped is null ? "recording" : "stopped";
        var document = new RecordingDocument(Id, Room.Name, StartedBy, Iso(Started), _stopped is { } stopped ? Iso(stopped) : null, status, _error, Interlocked.Read(ref _dropped), participants, files);

        // Written aside and moved over the old one: a reader never sees half a sidecar.
        string path = Path.Combine(Folder, Id + ".json");
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(document, RecordingJsonContext.Default.RecordingDocument));
        File.Move(temporary, path, overwrite: true);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private sealed class StreamEntry(string fileName, StreamStatus label, IStreamFile file)
    {
        public string FileName { get; } = fileName;

        public StreamStatus Label { get; } = label;

        public IStreamFile File { get; } = file;

        public DateTimeOffset First { get; init; }

        public DateTimeOffset Last { get; set; }

        public long Frames { get; set; }

        public long Lost { get; set; }

        public uint? NextSequence { get; set; }
    }
}
