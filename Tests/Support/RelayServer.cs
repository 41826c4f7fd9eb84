using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WsAudio.Server.Hosting;
using WsAudio.Server.Hub;

namespace WsAudio.Tests.Support;

/// <summary>A real WsAudio server on Kestrel, bound to 127.0.0.1 on a free port.</summary>
internal sealed class RelayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private RelayServer(WebApplication app, CapturingLoggerProvider logs)
    {
        _app = app;
        Logs = logs;
        // The public address; a server started with Network:MetricsUrl also has that internal one.
        var address = new Uri(ServerApp.Addresses(app).First());
        HttpUri = address;
        WebSocketUri = new UriBuilder(address) { Scheme = "ws", Path = "/ws" }.Uri;
    }

    public Uri HttpUri { get; }

    public Uri WebSocketUri { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public RoomRegistry Rooms => _app.Services.GetRequiredService<RoomRegistry>();

    /// <summary>Starts a server; <paramref name="args"/> are extra command-line settings.</summary>
    public static async Task<RelayServer> StartAsync(params string[] args)
    {
        var logs = new CapturingLoggerProvider();
        var app = ServerApp.Build(["--host", "127.0.0.1", "--port", "0", .. args], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
        });
        await app.StartAsync();
        return new RelayServer(app, logs);
    }

    public Task StopAsync() => _app.StopAsync();

    /// <summary>Stops the server; a test that takes a node away mid-test may dispose it early, then again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
