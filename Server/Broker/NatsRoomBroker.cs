using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Broker;

/// <summary>
/// Spreads rooms over several nodes through NATS. Local senders' frames and local presence and stream events go out
/// on the room's subjects; what other nodes send is applied to the local room as if it happened here. A node
/// subscribes only to rooms with local members. Publishing happens on a dedicated thread fed by a bounded queue
/// (full: dropped and counted), so a slow or absent bus never holds up audio; received messages are fanned out on
/// the bus's thread, into the same non-blocking per-receiver queues as local ones.
/// </summary>
internal sealed class NatsRoomBroker : IRoomBroker, IHostedService, IDisposable
{
    private const long ReplaceAfterMs = 1000;

    private readonly BrokerOptions _options;
    private readonly ILogger _logger;
    private readonly string _node;
    private readonly ConcurrentDictionary<string, (Room Room, IDisposable? Subscription)> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _nodesSeen = new(StringComparer.Ordinal);
    private readonly Channel<(string Subject, byte[] Data)> _outgoing;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<string, string, IMessageBus> _connect;

    // Guards the pairing of rooms with subscriptions, so that a room attached while the bus (re)connects is
    // subscribed by one side or the other, never by neither.
    private readonly Lock _subscriptions = new();
    private IMessageBus? _bus;
    private IDisposable? _heartbeats;
    private Task _work = Task.CompletedTask;
    private long _publishDrops;

    public NatsRoomBroker(IOptions<BrokerOptions> options, ILogger<NatsRoomBroker> logger)
    {
        _options = options.Value;
        _logger = logger;
        _node = _options.NodeId.Length > 0 ? _options.NodeId : Guid.NewGuid().ToString("N")[..10];

        // The one place that names the NATS client: another IMessageBus replaces it here.
        _connect = (urls, name) => new NatsMessageBus(urls, name);
        _outgoing = Channel.CreateBounded<(string, byte[])>(new BoundedChannelOptions(_options.PublishQueueDepth)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
    }

    public bool Forwards => true;

    public string Status => _bus?.IsConnected == true ? "connected" : "disconnected";

    public long PublishDrops => Interlocked.Read(ref _publishDrops);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _work = Task.WhenAll(
            Task.Factory.StartNew(PublishLoop, TaskCreationOptions.LongRunning),
            Task.Run(ConnectAndWatchAsync, CancellationToken.None));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _outgoing.Writer.TryComplete();
        await _work.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Attach(Room room)
    {
        lock (_subscriptions)
        {
            _rooms[room.Name] = (room, _bus is { } bus ? bus.Subscribe(Subjects.RoomWildcard(room.Name), OnRoomMessage) : null);
        }

        Enqueue(Subjects.Room(room.Name, Subjects.Hello, _node), []);
    }

    public void Detach(Room room)
    {
        (Room Room, IDisposable? Subscription) entry;
        lock (_subscriptions)
        {
            if (!_rooms.TryRemove(room.Name, out entry))
            {
                return;
            }
        }

        entry.Subscription?.Dispose();
    }

    public void PublishFrame(Room room, SharedFrame frame) =>
        Enqueue(Subjects.Room(room.Name, Subjects.Frames, _node), frame.Memory.ToArray());

    public void PublishEvent(Room room, ControlMessage message) =>
        Enqueue(Subjects.Room(room.Name, Subjects.Events, _node), ControlMessageSerializer.Serialize(message));

    public void Dispose()
    {
        _heartbeats?.Dispose();
        _bus?.Dispose();
        _stopping.Dispose();
    }

    private void Enqueue(string subject, byte[] data)
    {
        if (!_outgoing.Writer.TryWrite((subject, data)))
        {
            Interlocked.Increment(ref _publishDrops);
        }
    }

    private void PublishLoop()
    {
        var reader = _outgoing.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var message))
            {
                if (_bus?.IsConnected == true)
                {
                    _bus.Publish(message.Subject, message.Data);
                }
            }
        }
    }

    // Connects (retrying while NATS is unreachable, serving local rooms meanwhile), then heartbeats, expires nodes
    // that went quiet, and replaces a connection that stays down: the client library's own reconnect is not
    // relied on alone.
    private async Task ConnectAndWatchAsync()
    {
        await ConnectAsync();
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        long downSince = 0;
        while (await TickAsync(timer))
        {
            long now = Environment.TickCount64;
            if (_bus?.IsConnected != true)
            {
                downSince = downSince == 0 ? now : downSince;
                if (now - downSince > ReplaceAfterMs)
                {
                    BrokerLog.Replacing(_logger, _options.Url);
                    var old = _bus;
                    var heartbeats = _heartbeats;
                    _heartbeats = null;
                    ForgetConnection();

                    // Closing a dead connection can block; it is abandoned to a pool thread instead.
                    _ = Task.Run(() =>
                    {
                        heartbeats?.Dispose();
                        old?.Dispose();
                    });
                    await ConnectAsync();
                    downSince = 0;
                }
            }
            else
            {
                downSince = 0;
            }

            Enqueue(Subjects.Heartbeat(_node), []);
            foreach (var (node, seen) in _nodesSeen)
            {
                if (now - seen > _options.NodeTimeout.TotalMilliseconds && _nodesSeen.TryRemove(new KeyValuePair<string, long>(node, seen)))
                {
                    BrokerLog.NodeLost(_logger, node);
                    foreach (var (room, _) in _rooms.Values)
                    {
                        room.RemoveNode(node);
                    }
                }
            }
        }
    }

    private async Task ConnectAsync()
    {
        while (_bus is null && !_stopping.IsCancellationRequested)
        {
            try
            {
                var bus = _connect(_options.Url, $"wsaudio-{_node}");
                _heartbeats = bus.Subscribe(Subjects.HeartbeatWildcard, (subject, _) => Seen(subject[(subject.LastIndexOf('.') + 1)..]));
                lock (_subscriptions)
                {
                    _bus = bus;
                    foreach (var name in _rooms.Keys)
                    {
                        Resubscribe(name);
                    }
                }

                OnReconnected();
            }
            catch (Exception ex) when (ex is NATS.Client.NATSException or System.Net.Sockets.SocketException)
            {
                BrokerLog.Unreachable(_logger, _options.Url, ex.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Drops the current connection; its subscriptions die with it (disposed with the connection, off this thread).
    private void ForgetConnection()
    {
        lock (_subscriptions)
        {
            _bus = null;
            foreach (var (name, entry) in _rooms)
            {
                _rooms[name] = (entry.Room, null);
            }
        }
    }

    private async Task<bool> TickAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // After (re)connecting, this node's view of others may be stale and theirs of it: say hello in every room, and
    // publish what is here.
    private void OnReconnected()
    {
        foreach (var (room, _) in _rooms.Values)
        {
            Enqueue(Subjects.Room(room.Name, Subjects.Hello, _node), []);
            PublishState(room);
        }
    }

    private void Resubscribe(string name)
    {
        if (_rooms.TryGetValue(name, out var entry) && entry.Subscription is null && _bus is { } bus)
        {
            _rooms[name] = (entry.Room, bus.Subscribe(Subjects.RoomWildcard(name), OnRoomMessage));
        }
    }

    private void PublishState(Room room)
    {
        foreach (var message in room.LocalState())
        {
            PublishEvent(room, message);
        }
    }

    private void OnRoomMessage(string subject, byte[] data)
    {
        var (roomName, kind, node) = Subjects.Parse(subject);
        if (node == _node)
        {
            return;
        }

        Seen(node);
        if (!_rooms.TryGetValue(roomName, out var entry))
        {
            return;
        }

        switch (kind)
        {
            case Subjects.Frames:
                entry.Room.DeliverRemoteFrame(data);
                break;
            case Subjects.Events when ControlMessageSerializer.TryRead(data, MessageSender.Server, out var message, out _) == ReadStatus.Ok:
                entry.Room.ApplyRemote(node, message!);
                break;
            case Subjects.Hello:
                PublishState(entry.Room);
                break;
        }
    }

    private void Seen(string node)
    {
        if (node != _node)
        {
            _nodesSeen[node] = Environment.TickCount64;
        }
    }
}
