namespace WsAudio.Tests.Support;

/// <summary>A test fixture that shares one real server among its tests.</summary>
public abstract class RelayFixture
{
    private RelayServer? _server;

    private protected RelayServer Server => _server ?? throw new InvalidOperationException("the server has not started");

    private protected Uri Url => Server.WebSocketUri;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await RelayServer.StartAsync(ServerArguments);

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Extra command-line settings for this fixture's server.</summary>
    private protected virtual string[] ServerArguments => [];
}
