namespace WsAudio.Server.Hosting;

/// <summary>Where the server listens. Section <c>Network</c>; command line <c>--host</c>, <c>--port</c>.</summary>
internal sealed class NetworkOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Network";

    /// <summary>
    /// Interface to bind. Default <c>localhost</c> (loopback only, safe for a first run); use <c>0.0.0.0</c> or
    /// <c>*</c> to accept connections from other machines.
    /// </summary>
    public string Host { get; set; } = "localhost";

    /// <summary>TCP port. Default 8080; 0 picks a free port (not allowed with <c>localhost</c>; use 127.0.0.1).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>
    /// PEM file with the TLS certificate (and chain). With <see cref="CertificateKeyPath"/>, the server speaks
    /// https and wss on <see cref="Port"/>. Default none: plain http (put TLS on a reverse proxy instead).
    /// </summary>
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>PEM file with the certificate's private key.</summary>
    public string CertificateKeyPath { get; set; } = string.Empty;

    /// <summary>
    /// IP addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed. Default
    /// none: forwarded headers are ignored, so no client can claim another address to dodge per-address limits.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    public bool UsesTls => CertificatePath.Length > 0;
}
