using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace WsAudio.Server.Transport;

/// <summary>The open connections of this node, so that shutdown can close each one with 1001.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<long, Connection> _connections = new();
    private readonly ConcurrentDictionary<System.Net.IPAddress, int> _perAddress = new();
    private long _lastId;
    private volatile bool _stopping;

    public int Count => _connections.Count;

    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Every open connection, for the timeout monitor.</summary>
    public IEnumerable<Connection> Connections => _connections.Values;

    /// <summary>Counts a connection from <paramref name="address"/>; false (and nothing counted) when that would pass <paramref name="limit"/>.</summary>
    public bool TryReserve(System.Net.IPAddress address, int limit)
    {
        int count = _perAddress.AddOrUpdate(address, 1, (_, n) => n + 1);
        if (limit > 0 && count > limit)
        {
            ReleaseReservation(address);
            return false;
        }

        return true;
    }

    public void ReleaseReservation(System.Net.IPAddress address)
    {
        if (_perAddress.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
        {
            _perAddress.TryRemove(new KeyValuePair<System.Net.IPAddress, int>(address, 0));
        }
    }

    public void Add(Connection connection)
    {
        _connections[connection.Id] = connection;

        // A handshake that completed while shutdown was closing the others must not outlive it.
        if (_stopping)
        {
            CloseForShutdown(connection);
        }
    }

    public void Remove(Connection connection) => _connections.TryRemove(connection.Id, out _);

    /// <summary>Messages waiting in all outbound queues, and in the fullest one.</summary>
    public (long Total, int Max) QueueDepths()
    {
        long total = 0;
        int max = 0;
        foreach (var connection in _connections.Values)
        {
            int depth = connection.Outbound.Count;
            total += depth;
            max = Math.Max(max, depth);
        }

        return (total, max);
    }

    /// <summary>Closes every connection with 1001 (going away); new ones are closed as they arrive.</summary>
    public int CloseAll()
    {
        _stopping = true;
        int count = 0;
        foreach (var connection in _connections.Values)
        {
            CloseForShutdown(connection);
            count++;
        }

        return count;
    }

    private static void CloseForShutdown(Connection connection) =>
        connection.RequestClose(WebSocketCloseStatus.EndpointUnavailable, "server-shutting-down", discardQueued: true);
}
