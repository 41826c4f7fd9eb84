using System.Threading.Channels;

namespace WsAudio.Server.Broker;

/// <summary>
/// One connection to the bus and the thread that publishes through it. A link that stops answering is retired
/// and replaced, never repaired: its thread may be stuck in the dead connection's <c>Publish</c>, so it is
/// abandoned (a background thread that stops at its next message) instead of being waited for, and the
/// connection is closed on a thread of its own because closing it can block too.
/// </summary>
internal sealed class BusLink : IDisposable
{
    private readonly IMessageBus _bus;
    private readonly ChannelReader<OutgoingMessage> _outgoing;
    private readonly Func<long> _lastEcho;
    private readonly long _window;
    private readonly Action _lost;
    private readonly CancellationTokenSource _retired = new();
    private readonly List<IDisposable> _subscriptions = [];

    /// <param name="bus">The connection; the link owns it from now on.</param>
    /// <param name="outgoing">The broker's queue, shared with whichever link is current.</param>
    /// <param name="lastEcho">When the last probe came back (<see cref="Environment.TickCount64"/>).</param>
    /// <param name="window">
    /// How long without a probe back, counted from the last one or from the link's start, before the bus is taken
    /// for down; while it is, only probes are published.
    /// </param>
    /// <param name="lost">Counts a message that was not published.</param>
    public BusLink(IMessageBus bus, ChannelReader<OutgoingMessage> outgoing, Func<long> lastEcho, TimeSpan window, Action lost)
    {
        _bus = bus;
        _outgoing = outgoing;
        _lastEcho = lastEcho;
        _window = (long)window.TotalMilliseconds;
        _lost = lost;
        Started = Environment.TickCount64;
    }

    /// <summary>When the link was made (<see cref="Environment.TickCount64"/>).</summary>
    public long Started { get; }

    /// <summary>
    /// Subscribes until the returned handle is disposed or the link retires; null when the bus refused (it is
    /// down: the next link subscribes again).
    /// </summary>
    public IDisposable? Subscribe(string subject, Action<string, byte[]> handler)
    {
        var subscription = _bus.Subscribe(subject, handler);
        if (subscription is null)
        {
            return null;
        }

        lock (_subscriptions)
        {
            _subscriptions.Add(subscription);
        }

        return new Handle(this, subscription);
    }

    public void StartPublishing(string nodeId) =>
        new Thread(PublishLoop) { IsBackground = true, Name = $"wsaudio-nats-{nodeId}" }.Start();

    /// <summary>Stops publishing through this link and closes its connection in the background.</summary>
    public void Dispose()
    {
        _retired.Cancel();
        OffThePool(() =>
        {
            IDisposable[] subscriptions;
            lock (_subscriptions)
            {
                subscriptions = [.. _subscriptions];
                _subscriptions.Clear();
            }

            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }

            _bus.Dispose();
        });
    }

    /// <summary>Closes the connection, waiting at most <paramref name="timeout"/> (closing a dead one can block).</summary>
    public void Close(TimeSpan timeout)
    {
        _retired.Cancel();
        try
        {
            var closing = new Thread(_bus.Dispose) { IsBackground = true, Name = "wsaudio-nats-close" };
            closing.Start();
            closing.Join(timeout);
        }
        catch (ThreadStateException)
        {
            // Shutdown goes on whatever the client library does.
        }
    }

    // A new link is trusted until its first probe could have come back.
    private bool IsAnswering() => Environment.TickCount64 - Math.Max(_lastEcho(), Started) <= _window;

    // Calls into a broken connection can block for long; on pool threads, a few of them at once would starve the
    // thread pool that the new connection, the broker's watch and the whole server need.
    private static void OffThePool(Action action) => new Thread(() => action()) { IsBackground = true, Name = "wsaudio-nats-close" }.Start();

    private void PublishLoop()
    {
        var token = _retired.Token;
        try
        {
            while (_outgoing.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
            {
                while (!token.IsCancellationRequested && _outgoing.TryRead(out var message))
                {
                    // While the bus does not answer, queued audio and events would arrive late or not at all: they
                    // are counted as lost at once, and the probes that tell when it answers again still go out.
                    if ((!message.IsProbe && !IsAnswering()) || !_bus.Publish(message.Subject, message.Data))
                    {
                        _lost();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Retired.
        }
    }

    private sealed class Handle(BusLink link, IDisposable subscription) : IDisposable
    {
        public void Dispose()
        {
            bool owned;
            lock (link._subscriptions)
            {
                owned = link._subscriptions.Remove(subscription);
            }

            // Unsubscribing may block on a broken connection; a retired link's subscriptions go with it.
            if (owned)
            {
                OffThePool(subscription.Dispose);
            }
        }
    }
}
