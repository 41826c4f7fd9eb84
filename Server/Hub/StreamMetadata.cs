namespace WsAudio.Server.Hub;

/// <summary>
/// What a broadcaster says about its stream, for status pages: an Icecast source's <c>ice-*</c> headers and the
/// title from its Opus comments. Every field is optional.
/// </summary>
internal sealed record StreamMetadata(string? Name, string? Description, string? Genre, string? Url, string? Title);
