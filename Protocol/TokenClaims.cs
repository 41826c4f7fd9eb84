namespace WsAudio.Protocol;

/// <summary>
/// The claims of a WsAudio access token (a JWT signed with HS256): <c>sub</c> (identity), <c>name</c>, <c>room</c>
/// (a room name, a prefix ending in <c>*</c>, or <c>*</c> for every room), <c>grants</c> (any of
/// <see cref="Grants"/>), <c>exp</c>, and <c>iss</c>/<c>aud</c> as the server is configured.
/// </summary>
public static class TokenClaims
{
    /// <summary>The room, or room pattern, the token admits to.</summary>
    public const string Room = "room";

    /// <summary>What the holder may do; a JSON array of grant names.</summary>
    public const string Grants = "grants";

    /// <summary>Display name shown to others; overrides the name in <c>join</c>.</summary>
    public const string Name = "name";

    /// <summary>True when <paramref name="pattern"/> (exact, <c>prefix*</c> or <c>*</c>) admits <paramref name="room"/>.</summary>
    public static bool RoomMatches(string pattern, string room) =>
        pattern == "*" ||
        (pattern.EndsWith('*') && room.StartsWith(pattern[..^1], StringComparison.Ordinal)) ||
        string.Equals(pattern, room, StringComparison.Ordinal);
}
