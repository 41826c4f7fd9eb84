namespace WsAudio.Server.Access;

/// <summary>Who may join. Section <c>Access</c>.</summary>
internal sealed class AccessOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Access";

    /// <summary>
    /// The HS256 key that signs access tokens, at least 32 characters. Empty (the default) leaves every room open
    /// to anyone who can reach the server, with a warning at start-up; set, every join needs a valid token.
    /// </summary>
    public string TokenKey { get; set; } = string.Empty;

    /// <summary>
    /// Keys still accepted while tokens signed with them expire: put the old key here when rotating
    /// (docs/security.md). Default none.
    /// </summary>
    public string[] PreviousTokenKeys { get; set; } = [];

    /// <summary>Expected <c>iss</c> claim. Default <c>wsaudio</c>.</summary>
    public string Issuer { get; set; } = "wsaudio";

    /// <summary>Expected <c>aud</c> claim. Default <c>wsaudio</c>.</summary>
    public string Audience { get; set; } = "wsaudio";

    /// <summary>Tolerated difference between clocks when checking expiry. Default 30 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => TokenKey.Length > 0;
}
