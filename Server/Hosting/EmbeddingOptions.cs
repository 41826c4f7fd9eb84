namespace WsAudio.Server.Hosting;

/// <summary>How other sites may embed WsAudio. Section <c>Embedding</c>.</summary>
internal sealed class EmbeddingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Embedding";

    /// <summary>
    /// Origins (scheme://host[:port]) of other sites allowed to load <c>/wsaudio.js</c> and the server's other files
    /// with CORS, e.g. <c>https://www.example.com</c>. <c>*</c>, or an empty list (the default), allows every site:
    /// the library is public code, and who may join a room is a matter of access control, not of where the script
    /// came from.
    /// </summary>
    /// <remarks>Empty rather than <c>["*"]</c> by default, because configuration binding appends to an array's initial items.</remarks>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>True when every site may embed.</summary>
    public bool AllowsAnyOrigin => AllowedOrigins.Length == 0 || AllowedOrigins.Contains("*");
}
