namespace WsAudio.Server.Radio;

/// <summary>The radio side of the server: Icecast sources and the listen URL. Section <c>Radio</c>.</summary>
internal sealed class RadioOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Radio";

    /// <summary>
    /// Password that lets an Icecast source (user <c>source</c>) broadcast into any room, like Icecast's
    /// <c>source-password</c>. Default none: with tokens on, the password must be a token with the <c>publish</c>
    /// grant for the room; with tokens off, any password is taken, as anyone may broadcast in an open server.
    /// </summary>
    public string SourcePassword { get; set; } = string.Empty;

    /// <summary>
    /// How long a source may send nothing before it is ended, as Icecast's <c>source-timeout</c>. Default 10 s.
    /// Range 1 s – 5 min.
    /// </summary>
    public TimeSpan SourceTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Audio a new listen-URL listener gets at once from just before it came, so that its player starts playing at
    /// once instead of after filling its buffer in real time. Each millisecond of it is a millisecond of latency for
    /// that listener. Rooms keep this much of their last audio from their first broadcaster or listen-URL listener
    /// on. Default 1 s. Range 0 (none, start at the live edge) – 5 s.
    /// </summary>
    public TimeSpan ListenBurst { get; set; } = TimeSpan.FromSeconds(1);
}
