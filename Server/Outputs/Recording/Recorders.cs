using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Outputs.Recording;

/// <summary>
/// The rooms being recorded on this node: started by an admin's <c>record</c> or, for rooms that
/// <see cref="RecordingOptions.Rooms"/> names, by their first member; stopped by <c>record stop</c>, by the room
/// closing, or by a disk that refuses to write. Every member of a recorded room is told (<c>recording</c>), including
/// those who join while it runs.
/// </summary>
internal sealed class Recorders
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Room, RoomRecording> _recordings = [];
    private readonly RecordingOptions _options;
    private readonly OutputMetrics _metrics;
    private readonly ILogger _logger;

    public Recorders(RoomRegistry rooms, IOptions<RecordingOptions> options, OutputMetrics metrics, ILogger<Recorders> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        Folder = Path.GetFullPath(_options.Folder);
        rooms.Joined += OnJoined;
        rooms.Closed += room => Stop(room);
    }

    /// <summary>The recordings folder, as an absolute path.</summary>
    public string Folder { get; }

    /// <summary>
    /// Starts recording <paramref name="room"/> (nothing changes if it already is); returns why it could not, or
    /// null. <paramref name="admin"/> is told if the recording fails later.
    /// </summary>
    public string? Start(Room room, Participant? admin)
    {
        RoomRecording recording;
        lock (_gate)
        {
            if (_recordings.ContainsKey(room))
            {
                return null;
            }

            string id = NewId(room.Name);
            string by = admin is null ? "configuration" : admin.Admission.Identity ?? admin.Id;
            try
            {
                Directory.CreateDirectory(Folder);
                recording = new RoomRecording(room, Folder, id, by, admin, _options.QueueFrames, _metrics, OnFailed);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                RecordingLog.Failed(_logger, id, room.Name, ex.Message);
                _metrics.RecordingFailed();
                return $"the recording could not be written to the server's recordings folder: {ex.Message}";
            }

            _recordings[room] = recording;
            room.AddObserver(recording);
        }

        _metrics.RecordingStarted();
        RecordingLog.Started(_logger, recording.Id, room.Name, recording.StartedBy, Folder);
        room.AnnounceRecording(new RecordingMessage { Active = true, Id = recording.Id });
        return null;
    }

    /// <summary>Stops recording <paramref name="room"/>; false when it was not being recorded.</summary>
    public bool Stop(Room room)
    {
        RoomRecording? recording;
        lock (_gate)
        {
            if (!_recordings.Remove(room, out recording))
            {
                return false;
            }
        }

        room.RemoveObserver(recording);
        room.AnnounceRecording(new RecordingMessage { Active = false, Id = recording.Id });
        _metrics.RecordingStopped();
        _ = FinishAsync(recording);
        return true;
    }

    /// <summary>The recordings in the folder whose room <paramref name="admits"/> accepts, newest first.</summary>
    public IReadOnlyList<RecordingDocument> List(Func<string, bool> admits)
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        var found = new List<RecordingDocument>();
        foreach (string path in Directory.EnumerateFiles(Folder, "*.json"))
        {
            try
            {
                var document = JsonSerializer.Deserialize(File.ReadAllBytes(path), RecordingJsonContext.Default.RecordingDocument);
                if (document is not null && admits(document.Room))
                {
                    found.Add(document);
                }
            }
            catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
            {
                // Not a sidecar, or one being replaced this instant: left out of this answer.
            }
        }

        return [.. found.OrderByDescending(d => d.Started, StringComparer.Ordinal)];
    }

    // The writer empties its queue and closes the files off the caller's thread.
    private async Task FinishAsync(RoomRecording recording)
    {
        await recording.StopAsync();
        var (files, bytes, dropped) = recording.Totals;
        RecordingLog.Stopped(_logger, recording.Id, recording.Room.Name, files, bytes, dropped);
    }

    // The room itself tells a joiner that it is recorded (Room.AnnounceRecording); here a joiner only starts the
    // recording of a room recorded without asking.
    private void OnJoined(Room room, Participant participant)
    {
        if (_options.RecordsAutomatically(room.Name))
        {
            Start(room, admin: null);
        }
    }

    // Called by the recording's writer after a write failed: the room goes on, unrecorded, and is told.
    private void OnFailed(RoomRecording recording, string reason)
    {
        lock (_gate)
        {
            if (!_recordings.Remove(recording.Room, out var current) || !ReferenceEquals(current, recording))
            {
                return;
            }
        }

        recording.Room.RemoveObserver(recording);
        _metrics.RecordingStopped();
        _metrics.RecordingFailed();
        RecordingLog.Failed(_logger, recording.Id, recording.Room.Name, reason);
        recording.Room.AnnounceRecording(new RecordingMessage { Active = false, Id = recording.Id });
        if (recording.Admin is { } admin)
        {
            Tell(admin, new ErrorMessage { Code = ErrorCodes.RecordingFailed, Message = $"recording {recording.Id} stopped: the server could not write it ({reason})" });
        }
    }

    // Room names are safe in file names (letters, digits, '.', '_', '-'); a second recording of a room within the
    // same second gets a suffix.
    private string NewId(string room)
    {
        string id = $"{room}-{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        string unique = id;
        for (int n = 2; File.Exists(Path.Combine(Folder, unique + ".json")); n++)
        {
            unique = $"{id}-{n}";
        }

        return unique;
    }

    private static void Tell(Participant participant, ControlMessage message) => participant.Outbound.EnqueueMessage(message);
}
