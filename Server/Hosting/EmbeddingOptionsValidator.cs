using Microsoft.Extensions.Options;

namespace WsAudio.Server.Hosting;

/// <summary>Refuses origins that a browser would never send (paths, missing schemes), naming them.</summary>
internal sealed class EmbeddingOptionsValidator : IValidateOptions<EmbeddingOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddingOptions options)
    {
        var bad = options.AllowedOrigins
            .Where(o => o != "*" && !(Uri.TryCreate(o, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.PathAndQuery == "/" && !o.EndsWith('/')))
            .ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{EmbeddingOptions.Section}:AllowedOrigins has {string.Join(", ", bad.Select(b => $"'{b}'"))}; use '*' or origins like https://www.example.com (scheme, host, optional port, no path).");
    }
}
