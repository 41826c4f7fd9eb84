using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Hub;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Broker;

/// <summary>
/// Spreads rooms over several nodes through NATS. Local senders' frames and local presence and stream events go out
/// on the room's subjects; what other nodes send is applied to the local room as if it happened here. A node
/// subscribes only to rooms with local members. Publishing happens on a thread of its own fed by a bounded queue
/// (full: dropped and counted), so a slow or absent bus never holds up audio; received messages are fanned out on
/// the bus's thread, into the same non-blocking per-receiver queues as local ones.
/// </summary>
/// <remarks>
/// The client library's own idea of "connected" is not trusted: every <see cref="ProbeIntervalMs"/> the node sends
/// a probe to itself through the bus. The bus counts as connected only while probes come back within
/// <see cref="HealthWindowMs"/>; after <see cref="ReplaceAfterMs"/> without one, the connection and its publishing
/// thread are replaced, whatever state the library reports. That covers a library stuck reconnecting, a publisher
/// blocked in a dead connection and a subscription lost on the server, alike.
/// </remarks>
internal sealed class NatsRoomBroker : IRoomBroker, IHostedService, IDisposable
{
    private const long ProbeIntervalMs = 250;
    private const long HealthWindowMs = 1000;
    private const long ReplaceAfterMs = 1500;
    private const int ConnectRetryMs = 250;

    private readonly BrokerOptions _options;
    private readonly ILogger _logger;
    private readonly string _node;
    private readonly ConcurrentDictionary<string, (Room Room, IDisposable? Subscription)> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _nodesSeen = new(StringComparer.Ordinal);
    private readonly Channel<OutgoingMessage> _outgoing;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<string, string, IMessageBus> _connect;

    // Guards the pairing of rooms with subscriptions, so that a room attached while the bus (re)connects is
    // subscribed by one side or the other, never by neither.
    private readonly Lock _subscriptions = new();
    private readonly Diagnostics.LogThrottle _unreachableLog = new(TimeSpan.FromSeconds(10));
    private volatile BusLink? _link;
    private Task _work = Task.CompletedTask;
    private long _publishDrops;
    private long _lastEcho = long.MinValue / 2; // never: far enough back that "now - never" cannot overflow
    private int _disposed;

    public NatsRoomBroker(IOptions<BrokerOptions> options, ILogger<NatsRoomBroker> logger)
    {
        _options = options.Value;
        _logger = logger;
        _node = _options.NodeId.Length > 0 ? _options.NodeId : Guid.NewGuid().ToString("N")[..10];

        // The one place that names the NATS client: another IMessageBus replaces it here.
        _connect = (urls, name) => new NatsMessageBus(urls, name);

        // Wait mode only makes TryWrite answer false when the queue is full (DropWrite would drop and answer true),
        // so every message that does not fit is counted; nothing ever waits.
        _outgoing = Channel.CreateBounded<OutgoingMessage>(new BoundedChannelOptions(_options.PublishQueueDepth)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public bool Forwards => true;

    public string Status => IsHealthy() ? "connected" : "disconnected";

    public long PublishDrops => Interlocked.Read(ref _publishDrops);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _work = Task.Run(ConnectAndWatchAsync, CancellationToken.None);
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
            _rooms[room.Name] = (room, _link?.Subscribe(Subjects.RoomWildcard(room.Name), OnRoomMessage));
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
        Enqueue(Subjects.Room(room.Name, Subjects.Frames, _node), frame.Payload.ToArray());

    public void PublishEvent(Room room, ControlMessage message) =>
        Enqueue(Subjects.Room(room.Name, Subjects.Events, _node), ControlMessageSerializer.Serialize(message));

    /// <summary>Never throws and never waits long: a dead connection is abandoned after a short close attempt.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _outgoing.Writer.TryComplete();
        _link?.Close(TimeSpan.FromSeconds(2));
        _stopping.Dispose();
    }

    private bool IsHealthy() => _link is not null && Environment.TickCount64 - Interlocked.Read(ref _lastEcho) <= HealthWindowMs;

    private void Enqueue(string subject, byte[] data, bool isProbe = false)
    {
        if (!_outgoing.Writer.TryWrite(new OutgoingMessage(subject, data, isProbe)))
        {
            Interlocked.Increment(ref _publishDrops);
        }
    }

    // Connects (retrying while NATS is unreachable, serving local rooms meanwhile), then probes, heartbeats, expires
    // nodes that went quiet, and replaces a connection whose probes stop coming back.
    private async Task ConnectAndWatchAsync()
    {
        await ConnectAsync();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(ProbeIntervalMs));
        long lastHeartbeat = 0;
        bool wasHealthy = IsHealthy();
        while (await TickAsync(timer))
        {
            try
            {
                long now = Environment.TickCount64;
                bool healthy = IsHealthy();
                if (healthy && !wasHealthy)
                {
                    // The library got back in by itself: what others missed meanwhile is resent.
                    OnReconnected();
                }

                wasHealthy = healthy;
                if (_link is { } link && now - link.Started > ReplaceAfterMs && now - Interlocked.Read(ref _lastEcho) > ReplaceAfterMs)
                {
                    BrokerLog.Replacing(_logger, _options.Url);
                    ForgetLink();
                    await ConnectAsync();
                    continue;
                }

                byte[] probe = new byte[sizeof(long)];
                BinaryPrimitives.WriteInt64BigEndian(probe, now);
                Enqueue(Subjects.Probe(_node), probe, isProbe: true);

                if (now - lastHeartbeat >= _options.HeartbeatInterval.TotalMilliseconds)
                {
                    lastHeartbeat = now;
                    Enqueue(Subjects.Heartbeat(_node), []);
                    ExpireQuietNodes(now);
                }
            }
            catch (Exception ex)
            {
                // The watch must outlive anything unexpected, or the node would stay cut off for good.
                BrokerLog.WatchFailed(_logger, ex);
            }
        }
    }

    private void ExpireQuietNodes(long now)
    {
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

    private async Task ConnectAsync()
    {
        while (_link is null && !_stopping.IsCancellationRequested)
        {
            try
            {
                // On a thread of its own: the library's connect blocks for up to its timeout, and pool threads
                // blocked in it would slow the whole server.
                var bus = await Task.Factory.StartNew(() => _connect(_options.Url, $"wsaudio-{_node}"), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                Install(bus);
                return;
            }
            catch (Exception ex)
            {
                if (_unreachableLog.TryEnter(out long held))
                {
                    BrokerLog.Unreachable(_logger, _options.Url, ex.Message, held);
                }
            }

            try
            {
                await Task.Delay(ConnectRetryMs, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Install(IMessageBus bus)
    {
        var link = new BusLink(bus, _outgoing.Reader, () => Interlocked.Read(ref _lastEcho), TimeSpan.FromMilliseconds(HealthWindowMs), () => Interlocked.Increment(ref _publishDrops));
        link.Subscribe(Subjects.HeartbeatWildcard, (subject, _) => Seen(subject[(subject.LastIndexOf('.') + 1)..]));
        link.Subscribe(Subjects.Probe(_node), (_, _) => Interlocked.Exchange(ref _lastEcho, Environment.TickCount64));
        lock (_subscriptions)
        {
            _link = link;
            foreach (var (name, entry) in _rooms)
            {
                _rooms[name] = (entry.Room, link.Subscribe(Subjects.RoomWildcard(name), OnRoomMessage));
            }
        }

        link.StartPublishing(_node);
        BrokerLog.Connected(_logger, _options.Url, _node);
        OnReconnected();
    }

    // Drops the current link; its subscriptions and connection are closed off this thread.
    private void ForgetLink()
    {
        BusLink? old;
        lock (_subscriptions)
        {
            old = _link;
            _link = null;
            foreach (var (name, entry) in _rooms)
            {
                _rooms[name] = (entry.Room, null);
            }
        }

        old?.Dispose();
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
