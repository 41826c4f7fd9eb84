using WsAudio.Protocol;

namespace WsAudio.Server.Hub;

/// <summary>A live stream as status pages show it; <see cref="LiveSince"/> is unknown for streams on other nodes.</summary>
internal sealed record StreamStatus(uint StreamId, AudioFormat Format, DateTimeOffset? LiveSince);
