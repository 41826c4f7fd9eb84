using NATS.Client;

namespace WsAudio.Server.Broker;

/// <summary>
/// <see cref="IMessageBus"/> over NATS.Client 0.8 (the client the registry offers; its API is synchronous). The
/// only file that knows NATS.Client: callers keep its blocking calls off the WebSocket path.
/// </summary>
/// <remarks>
/// Seen against nats-server 2.9: this client's reconnect did not always get back in after a server restart,
/// closing a connection stuck in it could block or throw <see cref="IOException"/>, and with reconnect turned off
/// a broken pipe escaped its I/O thread unhandled and ended the process. So reconnect stays on (keeping that thread
/// safe), no exception of the library gets out of this file (whatever its type: the library's own are not the
/// only ones it throws), and the broker, which probes the bus with round trips, replaces a
/// connection that stops answering with a new one, which works as a first connect does.
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

    public bool Publish(string subject, byte[] data)
    {
        try
        {
            _connection.Publish(subject, data);
            return true;
        }
        catch (Exception)
        {
            // Disconnected with a full reconnect buffer, or closed under us: the message is lost, as live audio would be.
            return false;
        }
    }

    public IDisposable? Subscribe(string subject, Action<string, byte[]> handler)
    {
        try
        {
            return new QuietSubscription(_connection.SubscribeAsync(subject, (_, args) => handler(args.Message.Subject, args.Message.Data)));
        }
        catch (Exception)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            _connection.Close();
        }
        catch (Exception)
        {
            // A broken connection may fail to close cleanly; it is gone either way.
        }

        try
        {
            _connection.Dispose();
        }
        catch (Exception)
        {
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
            catch (Exception)
            {
            }

            try
            {
                inner.Dispose();
            }
            catch (Exception)
            {
            }
        }
    }
}
