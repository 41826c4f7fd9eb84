using System.Text.Json.Serialization;

namespace WsAudio.Server.Outputs.Recording;

/// <summary>
/// A recording's sidecar, <c>{id}.json</c> beside its files, and an entry of <c>GET /api/recordings</c>. Times are
/// ISO 8601 in UTC; <see cref="Stopped"/> is absent while the recording runs. <see cref="Status"/> is
/// <c>recording</c>, <c>stopped</c> or <c>failed</c> (then <see cref="Error"/> says why). <see cref="Dropped"/>
/// counts frames left out because the disk fell behind.
/// </summary>
internal sealed record RecordingDocument(
    string Id,
    string Room,
    string StartedBy,
    string Started,
    string? Stopped,
    string Status,
    string? Error,
    long Dropped,
    IReadOnlyList<RecordedParticipant> Participants,
    IReadOnlyList<RecordedStream> Files);

/// <summary>Someone whose audio is in the recording.</summary>
internal sealed record RecordedParticipant(string Id, string Name);

/// <summary>
/// One stream's file: when its first and last frames came, how many were written, and how many never reached the
/// server (gaps in the sequence numbers).
/// </summary>
internal sealed record RecordedStream(
    string File,
    uint StreamId,
    string ParticipantId,
    string Name,
    string Codec,
    int SampleRate,
    int Channels,
    string Started,
    string Stopped,
    long Frames,
    long Lost,
    long Bytes);

/// <summary><c>GET /api/recordings</c>: the recordings in the folder that the token's room claim admits, newest first.</summary>
internal sealed record RecordingsDocument(IReadOnlyList<RecordingDocument> Recordings);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecordingDocument))]
[JsonSerializable(typeof(RecordingsDocument))]
internal sealed partial class RecordingJsonContext : JsonSerializerContext;
