namespace WsAudio.Server.Broker;

/// <summary>
/// NATS subjects. A room's traffic: <c>wsaudio.room.{room}.{kind}.{node}</c>, kind <c>f</c> (frames), <c>e</c>
/// (presence and stream events, as protocol JSON) or <c>h</c> (hello: a node attached and wants the others' state).
/// The sending node is the last token, so a node recognises, and ignores, its own messages. Heartbeats:
/// <c>wsaudio.node.{node}</c>; a node's probes of the bus, which only it subscribes to: <c>wsaudio.probe.{node}</c>.
/// </summary>
internal static class Subjects
{
    public const string Frames = "f";
    public const string Events = "e";
    public const string Hello = "h";
    public const string HeartbeatWildcard = "wsaudio.node.*";

    // Room names may contain '.', NATS's token separator; '~' is not allowed in room names, so it stands in.
    public static string RoomToken(string room) => room.Replace('.', '~');

    public static string Room(string room, string kind, string node) => $"wsaudio.room.{RoomToken(room)}.{kind}.{node}";

    public static string RoomWildcard(string room) => $"wsaudio.room.{RoomToken(room)}.*.*";

    public static string Heartbeat(string node) => $"wsaudio.node.{node}";

    public static string Probe(string node) => $"wsaudio.probe.{node}";

    /// <summary>Splits a room subject into its room, kind and sending node.</summary>
    public static (string Room, string Kind, string Node) Parse(string subject)
    {
        const string prefix = "wsaudio.room.";
        int last = subject.LastIndexOf('.');
        int before = subject.LastIndexOf('.', last - 1);
        return (subject[prefix.Length..before].Replace('~', '.'), subject[(before + 1)..last], subject[(last + 1)..]);
    }
}
