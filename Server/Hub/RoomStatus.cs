namespace WsAudio.Server.Hub;

/// <summary>What a status page may know of a room: counts and live streams, no names or ids of its members.</summary>
internal sealed record RoomStatus(
    string Name,
    int Speakers,
    int Broadcasters,
    int Listeners,
    int HttpListeners,
    int IcecastSources,
    int ListenerPeak,
    IReadOnlyList<StreamStatus> Streams,
    int Taps = 0);
