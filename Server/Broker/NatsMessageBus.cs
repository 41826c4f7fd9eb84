using NATS.Client;

namespace WsAudio.Server.Broker;

/// <summary>
/// <see cref="IMessageBus"/> over NATS.Client 0.8 (the client the registry offers; its API is synchronous). The
/// only file that knows NATS.Client: callers keep its blocking calls off the WebSocket path.
/// </summary>
internal sealed class NatsMessageBus : IMessageBus
{
    private readonly IConnection _connection;

    public NatsMessageBus(string urls, string name)
    {
        var options = ConnectionFactory.GetDefaultOptions();
        options.Servers = urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        options.Name = name;
        options.AllowReconnect = true;
        options.MaxReconnect = -1; // forever
        options.ReconnectWait = 250;
        options.PingInterval = 2000;
        options.MaxPingsOut = 2;
        options.ReconnectedEventHandler += (_, _) => Reconnected?.Invoke();
        _connection = new ConnectionFactory().CreateConnection(options);
    }

    public event Action? Reconnected;

    public bool IsConnected => _connection.State == ConnState.CONNECTED;

    public void Publish(string subject, byte[] data)
    {
        try
        {
            _connection.Publish(subject, data);
        }
        catch (NATSException)
        {
            // Disconnected with a full reconnect buffer: the message is lost, as live audio would be anyway.
        }
    }

    public IDisposable Subscribe(string subject, Action<string, byte[]> handler)
    {
        var subscription = _connection.SubscribeAsync(subject, (_, args) => handler(args.Message.Subject, args.Message.Data));
        return subscription;
    }

    public void Dispose()
    {
        try
        {
            _connection.Close();
        }
        catch (NATSException)
        {
        }

        _connection.Dispose();
    }
}
