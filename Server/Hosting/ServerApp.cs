using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Access;
using WsAudio.Server.Broker;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hub;
using WsAudio.Server.Outputs;
using WsAudio.Server.Outputs.Recording;
using WsAudio.Server.Radio;
using WsAudio.Server.Radio.Sources;
using WsAudio.Server.Session;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Hosting;

/// <summary>Builds the WsAudio web application: configuration, services, endpoints.</summary>
internal static class ServerApp
{
    /// <param name="args">Command-line arguments.</param>
    /// <param name="configure">Lets an embedding host (or a test) add services and logging before the build.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Later sources win: appsettings.json, then WSAUDIO_-prefixed environment variables, then the command line.
        builder.Configuration.AddEnvironmentVariables("WSAUDIO_");
        builder.Configuration.AddCommandLine(args, CommandLine.Switches);

        builder.Services.AddSingleton<IValidateOptions<NetworkOptions>, NetworkOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<EmbeddingOptions>, EmbeddingOptionsValidator>();
        builder.Services.AddOptions<EmbeddingOptions>().BindConfiguration(EmbeddingOptions.Section).ValidateOnStart();
        builder.Services.AddCors();
        builder.Services.AddSingleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>();
        builder.Services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<TokenValidator>();
        builder.Services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateOnStart();
        builder.Services.AddHostedService<ConnectionMonitor>();
        builder.Services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PresenceOptions>, PresenceOptionsValidator>();
        builder.Services.AddOptions<PresenceOptions>().BindConfiguration(PresenceOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.Section);
        if (builder.Configuration.GetSection(BrokerOptions.Section).Get<BrokerOptions>()?.Enabled == true)
        {
            builder.Services.AddSingleton<NatsRoomBroker>();
            builder.Services.AddSingleton<IRoomBroker>(services => services.GetRequiredService<NatsRoomBroker>());
            builder.Services.AddHostedService(services => services.GetRequiredService<NatsRoomBroker>());
        }
        else
        {
            builder.Services.AddSingleton<IRoomBroker, LocalRoomBroker>();
        }

        builder.Services.AddSingleton<RoomRegistry>();
        builder.Services.AddSingleton(services => new RelayMetrics(
            () => services.GetRequiredService<RoomRegistry>().Count,
            () => services.GetRequiredService<ConnectionRegistry>().QueueDepths()));
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<WebSocketEndpoint>();
        builder.Services.AddSingleton<OggListenEndpoint>();
        builder.Services.AddSingleton<IValidateOptions<RadioOptions>, RadioOptionsValidator>();
        builder.Services.AddOptions<RadioOptions>().BindConfiguration(RadioOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IcecastSourceHandler>();
        builder.Services.AddSingleton<ListenBurst>();
        builder.Services.AddSingleton<RoomOutputs>();
        builder.Services.AddSingleton<IValidateOptions<RecordingOptions>, RecordingOptionsValidator>();
        builder.Services.AddOptions<RecordingOptions>().BindConfiguration(RecordingOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<Recorders>();
        builder.Services.AddSingleton<OutputMetrics>();
        builder.Services.AddSingleton<RadioMetrics>();
        builder.Services.AddSingleton<SourceConnectionFilter>();
        builder.Services.AddSingleton<WebSocketUpgradeFilter>();
        builder.Services.AddSingleton<IMessageHandlerFactory, SessionFactory>();
        builder.Services.AddSingleton<ConnectionGate>();
        builder.Services.AddHostedService<StreamIdleMonitor>();
        builder.Services.AddHostedService<AudienceMonitor>();
        builder.Services.AddHostedService<HeldAudienceMonitor>();

        var network = builder.Configuration.GetSection(NetworkOptions.Section).Get<NetworkOptions>() ?? new NetworkOptions();
        var check = new NetworkOptionsValidator().Validate(null, network);
        if (check.Failed)
        {
            throw new OptionsValidationException(NetworkOptions.Section, typeof(NetworkOptions), check.Failures);
        }

        // ASP.NET Core's own ways to say where to listen (--urls, ASPNETCORE_URLS, Kestrel:Endpoints) win when given;
        // otherwise Network:Host and Network:Port (--host, --port) decide.
        string metrics = network.MetricsUrl.Length > 0 ? $";{network.MetricsUrl}" : string.Empty;
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            string host = network.Host is "*" or "0.0.0.0" ? "0.0.0.0" : network.Host.Contains(':', StringComparison.Ordinal) ? $"[{network.Host}]" : network.Host;
            builder.WebHost.UseUrls($"{(network.UsesTls ? "https" : "http")}://{host}:{network.Port}{metrics}");
        }
        else if (!string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(builder.Configuration["urls"] + metrics);
        }

        // The host's own report of a failed start is a stack trace; the process says it in one line instead (ServerMain).
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level < LogLevel.Error);
        if (network.SendBufferBytes > 0)
        {
            // Accepted sockets inherit the listening socket's buffer sizes.
            builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint =>
            {
                var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.SendBufferSize = network.SendBufferBytes;
                return socket;
            });
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = network.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = network.KeepAliveTimeout;

            // Runs when the endpoints are bound, after the services are built: every accepted connection passes the gate first.
            kestrel.ConfigureEndpointDefaults(listen =>
            {
                var gate = listen.ApplicationServices.GetRequiredService<ConnectionGate>();
                listen.Use(next => connection => gate.OnConnectionAsync(connection, next));

                // Icecast sources send a request Kestrel cannot read (a body with neither length nor chunks), so
                // they are taken before HTTP. Over TLS the first bytes are the handshake's: sources need plain HTTP.
                if (!network.UsesTls)
                {
                    var sources = listen.ApplicationServices.GetRequiredService<SourceConnectionFilter>();
                    listen.Use(next => connection => sources.OnConnectionAsync(connection, next));

                    // WebSocket clients are most of a server's connections, and stay for hours: their handshake is
                    // answered before HTTP, which would keep its request's objects for the connection's life.
                    var upgrades = listen.ApplicationServices.GetRequiredService<WebSocketUpgradeFilter>();
                    listen.Use(next => connection => upgrades.OnConnectionAsync(connection, next));
                }
            });
            if (network.UsesTls)
            {
                var certificate = X509Certificate2.CreateFromPemFile(network.CertificatePath, network.CertificateKeyPath);
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
        if (network.KnownProxies.Length > 0)
        {
            builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                forwarded.KnownIPNetworks.Clear();
                forwarded.KnownProxies.Clear();
                foreach (string proxy in network.KnownProxies)
                {
                    forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
                }
            });
        }
        configure?.Invoke(builder);

        var app = builder.Build();

        // Created now, not at the first listen-URL request: it has rooms with a broadcaster keep their recent audio.
        app.Services.GetRequiredService<ListenBurst>();
        app.Services.GetRequiredService<Recorders>();
        MapEndpoints(app);
        LoadEverythingNow(app);
        HookLifetime(app);
        return app;
    }

    /// <summary>The addresses Kestrel actually bound (port 0 resolved), once the app has started.</summary>
    public static IReadOnlyCollection<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.ToArray();

    private static void MapEndpoints(WebApplication app)
    {
        var started = Stopwatch.StartNew();
        var network = app.Services.GetRequiredService<IOptions<NetworkOptions>>().Value;
        if (network.MetricsPort > 0)
        {
            // Metrics and health on their own (internal) address only; that address serves nothing else.
            int metricsPort = network.MetricsPort;
            app.Use((context, next) =>
            {
                bool internalAddress = context.Connection.LocalPort == metricsPort;
                bool observability = context.Request.Path.Equals("/metrics", StringComparison.Ordinal) || context.Request.Path.Equals("/healthz", StringComparison.Ordinal);
                if (internalAddress != observability)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        if (network.KnownProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        var embedding = app.Services.GetRequiredService<IOptions<EmbeddingOptions>>().Value;
        if (!embedding.AllowsAnyOrigin)
        {
            // The CORS answer depends on the request's Origin: caches must keep one per origin.
            app.Use((context, next) =>
            {
                context.Response.Headers.Append("Vary", "Origin");
                return next(context);
            });
        }

        app.UseCors(policy =>
        {
            policy.WithMethods("GET", "HEAD");
            if (embedding.AllowsAnyOrigin)
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins(embedding.AllowedOrigins);
            }
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseWebSockets();
        app.Map(ProtocolConstants.Path, (HttpContext context, WebSocketEndpoint endpoint) => endpoint.HandleAsync(context));
        app.MapMethods("/rooms/{room}/stream.ogg", ["GET", "HEAD"], (HttpContext context, string room, OggListenEndpoint endpoint) => endpoint.HandleAsync(context, room));
        app.MapGet("/rooms/{room}/events", (HttpContext context, string room, RoomRegistry rooms) => RoomEventsEndpoint.HandleAsync(context, room, rooms));
        app.MapGet("/api/rooms", StatusEndpoints.Rooms);
        app.MapGet("/api/recordings", (HttpContext context, Recorders recorders, TokenValidator tokens) => RecordingsEndpoint.HandleAsync(context, recorders, tokens));
        app.MapGet("/status-json.xsl", StatusEndpoints.Icecast);

        // The broadcast and listening pages take the room from their path: /broadcast/radio, /listen/radio.
        app.MapGet("/broadcast/{room}", () => Page("broadcast.html"));
        app.MapGet("/listen/{room}", () => Page("listen.html"));
        app.MapGet("/radio/{room}", () => Page("radio.html"));

        // A room page's address without a room, or with more than one segment, gets a page that says so, not an empty 404.
        string notFound = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "wwwroot", "notfound.html"));
        foreach (string page in new[] { "/broadcast", "/listen", "/radio" })
        {
            app.MapGet(page + "/{**rest}", () => Results.Content(notFound, "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound));
        }
        app.MapGet("/metrics", (RelayMetrics metrics, RadioMetrics radio, OutputMetrics outputs, IRoomBroker broker, ConnectionGate gate) => Results.Text(PrometheusWriter.Write(metrics, radio, outputs, broker, gate), PrometheusWriter.ContentType));
        app.MapGet("/healthz", (ConnectionRegistry connections, RoomRegistry rooms, IRoomBroker broker) => Results.Json(
            new HealthReport(broker.Status == "disconnected" ? "degraded" : "ok", connections.Count, rooms.Count, Math.Round(started.Elapsed.TotalSeconds, 1), broker.Status),
            ServerJsonContext.Default.HealthReport));
    }

    // Builds the endpoints and the JSON writers before the first connection rather than at the first request that
    // needs them: under a connection flood that has taken every file descriptor, the assemblies they load cannot be
    // opened, and a type whose initializer failed stays broken for the life of the process.
    private static void LoadEverythingNow(WebApplication app)
    {
        foreach (var source in ((IEndpointRouteBuilder)app).DataSources)
        {
            _ = source.Endpoints.Count;
        }

        _ = ControlMessageSerializer.Serialize(new ErrorMessage { Code = ErrorCodes.ServerBusy, Message = string.Empty });
        _ = System.Text.Json.JsonSerializer.Serialize(new HealthReport("ok", 0, 0, 0, "none"), ServerJsonContext.Default.HealthReport);
        _ = System.Text.Json.JsonSerializer.Serialize(new RoomsDocument([]), RadioJsonContext.Default.RoomsDocument);
    }

    private static IResult Page(string file) =>
        Results.File(Path.Combine(AppContext.BaseDirectory, "wwwroot", file), "text/html; charset=utf-8");

    private static void HookLifetime(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WsAudio.Server");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var relay = app.Services.GetRequiredService<IOptions<RelayOptions>>().Value;
            Log.Started(logger, string.Join(", ", Addresses(app)), relay.QueueDepth, relay.StreamIdleTimeout, relay.MaxMessageBytes);
            if (!app.Services.GetRequiredService<IOptions<AccessOptions>>().Value.Enabled)
            {
                Log.RoomsOpen(logger);
            }
        });
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            int count = app.Services.GetRequiredService<ConnectionRegistry>().CloseAll();
            Log.ShuttingDown(logger, count);
        });
    }
}
