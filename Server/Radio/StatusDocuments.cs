using System.Text.Json.Serialization;

namespace WsAudio.Server.Radio;

/// <summary><c>GET /api/rooms</c>: every room of this node, with counts and live streams.</summary>
internal sealed record RoomsDocument(IReadOnlyList<RoomDocument> Rooms);

internal sealed record RoomDocument(string Name, MembersDocument Members, int ListenerPeak, IReadOnlyList<StreamDocument> Streams);

/// <summary>
/// Members by role, and by how they are connected: <see cref="HttpListeners"/> are the listeners on the listen URL,
/// counted in <see cref="Listeners"/>; <see cref="IcecastSources"/> the broadcasters pushing with the Icecast source
/// protocol, counted in <see cref="Broadcasters"/>. The rest use WebSockets. <see cref="Taps"/> (speech-recognition
/// feeds) are counted apart from every role.
/// </summary>
internal sealed record MembersDocument(int Speakers, int Broadcasters, int Listeners, int HttpListeners, int IcecastSources, int Taps);

/// <summary>
/// A live stream; <see cref="LiveSince"/> is ISO 8601 in UTC, absent for a stream on another node; <see cref="Name"/>
/// and <see cref="Title"/> are what an Icecast source says (its <c>ice-name</c>, its stream's title).
/// </summary>
internal sealed record StreamDocument(uint StreamId, string Codec, int SampleRate, int Channels, string? LiveSince, string? Name, string? Title);

/// <summary><c>GET /status-json.xsl</c> as Icecast writes it, for the widgets and exporters that read it.</summary>
internal sealed record IcecastDocument([property: JsonPropertyName("icestats")] IcecastStats Icestats);

internal sealed record IcecastStats(
    [property: JsonPropertyName("admin")] string Admin,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("location")] string Location,
    [property: JsonPropertyName("server_id")] string ServerId,
    [property: JsonPropertyName("server_start_iso8601")] string ServerStart,
    [property: JsonPropertyName("source")] IReadOnlyList<IcecastSource> Source);

internal sealed record IcecastSource(
    [property: JsonPropertyName("audio_info")] string AudioInfo,
    [property: JsonPropertyName("channels")] int Channels,
    [property: JsonPropertyName("genre")] string Genre,
    [property: JsonPropertyName("listener_peak")] int ListenerPeak,
    [property: JsonPropertyName("listeners")] int Listeners,
    [property: JsonPropertyName("listenurl")] string ListenUrl,
    [property: JsonPropertyName("samplerate")] int SampleRate,
    [property: JsonPropertyName("server_description")] string ServerDescription,
    [property: JsonPropertyName("server_name")] string ServerName,
    [property: JsonPropertyName("server_type")] string ServerType,
    [property: JsonPropertyName("server_url")] string ServerUrl,
    [property: JsonPropertyName("stream_start_iso8601")] string? StreamStart,
    [property: JsonPropertyName("title")] string Title);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RoomsDocument))]
[JsonSerializable(typeof(IcecastDocument))]
[JsonSerializable(typeof(string))]
internal sealed partial class RadioJsonContext : JsonSerializerContext;
