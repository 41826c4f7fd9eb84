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

    /// <summary>
    /// How long a client may take to send a request's headers once it has started (the WebSocket handshake
    /// included). Default 10 s; Kestrel's own default, 30 s, lets half-sent requests hold connections three times
    /// as long. Range 1 s–5 min.
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an HTTP connection may stay open with no request in progress, the first request included (a
    /// connection that never sends a byte is closed after this). Default 20 s; Kestrel's own is 130 s. WebSocket
    /// connections are not affected once upgraded. Range 1 s–1 h.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The kernel's send buffer of each accepted connection, in bytes. Default 0: the operating system's own, which
    /// grows by itself (to megabytes on Linux). Audio waiting there is delay that nothing can drop; a smaller buffer
    /// makes a slow receiver's backlog wait in its queue, where the oldest is dropped and counted. 0 or 4 KiB–16 MiB.
    /// </summary>
    public int SendBufferBytes { get; set; }

    /// <summary>
    /// A separate address for <c>/metrics</c> and <c>/healthz</c>, such as <c>http://10.0.0.10:9090</c> on an internal
    /// interface, with an explicit port. When set, those two answer only there and the public address answers them
    /// 404, so a reverse proxy that passes everything on does not publish them; the internal address serves nothing
    /// else. Default empty: both on the public address. With <c>Kestrel:Endpoints</c>, list this address there too.
    /// </summary>
    public string MetricsUrl { get; set; } = string.Empty;

    public bool UsesTls => CertificatePath.Length > 0;

    /// <summary>The port of <see cref="MetricsUrl"/>, or 0 when there is none.</summary>
    public int MetricsPort => MetricsUrl.Length > 0 && Uri.TryCreate(MetricsUrl, UriKind.Absolute, out var uri) ? uri.Port : 0;
}
