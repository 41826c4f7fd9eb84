using NATS.Client;

namespace WsAudio.Server.Broker;

/// <summary>
/// <see cref="IMessageBus"/> over NATS.Client 0.8 (the client the registry offers; its API is synchronous). The
/// only file that knows NATS.Client: callers keep its blocking calls off the WebSocket path.
/// </summary>
/// <remarks>
/// Seen in the cluster tests against nats-server 2.9: this client's reconnect did not get back in after a server
/// restart, closing a connection stuck in it could block, and with reconnect turned off a broken pipe escaped
/// its I/O thread unhandled and ended the process. So reconnect stays on (keeping that thread safe), and the
/// broker replaces a connection that stays down with a new one, which works as a first connect does.
/// </remarks>
internal sealed class NatsMessageBus : IMessageBus
{
    private readonly IConnection _connection;

    public NatsMessageBus(string urls, string name)
    {
        var options = ConnectionFactory.GetDefaultOptions();
        options.Servers = urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        options.Name = name;
        options.AllowReconnect = true;
        options.MaxReconnect = -1;
        options.ReconnectWait = 250;
        options.PingInterval = 2000;
        options.MaxPingsOut = 2;
        options.Timeout = 2000;
        _connection = new ConnectionFactory().CreateConnection(options);
    }

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

    public IDisposable? Subscribe(string subject, Action<string, byte[]> handler)
    {
        try
        {
            return new QuietSubscription(_connection.SubscribeAsync(subject, (_, args) => handler(args.Message.Subject, args.Message.Data)));
        }
        catch (NATSException)
        {
            return null;
        }
    }

    /// <summary>Unsubscribing while disconnected throws in this client; the subscription is gone either way.</summary>
    private sealed class QuietSubscription(IAsyncSubscription inner) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                inner.Unsubscribe();
            }
            catch (NATSException)
            {
            }

            inner.Dispose();
        }
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
