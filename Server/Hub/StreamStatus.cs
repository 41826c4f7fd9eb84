using WsAudio.Protocol;

namespace WsAudio.Server.Hub;

/// <summary>A live stream as status pages show it; <see cref="LiveSince"/> is unknown for streams on other nodes,
/// <see cref="Metadata"/> is what the sender says of its stream (here only). Status pages never show the sender's id
/// and name; the room's outputs label a tap's streams with them.</summary>
internal sealed record StreamStatus(uint StreamId, AudioFormat Format, DateTimeOffset? LiveSince, StreamMetadata? Metadata = null, string ParticipantId = "", string Name = "");
