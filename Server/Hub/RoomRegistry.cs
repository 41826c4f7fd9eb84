using System.Collections.Concurrent;
using WsAudio.Server.Broker;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Diagnostics;

namespace WsAudio.Server.Hub;

/// <summary>The rooms of this node: created by their first join, removed when their last member leaves.</summary>
internal sealed class RoomRegistry
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly IRoomBroker _broker;
    private readonly RelayMetrics _metrics;

    public RoomRegistry(IRoomBroker broker, RelayMetrics metrics)
    {
        _broker = broker;
        _metrics = metrics;
    }

    public int Count => _rooms.Count;

    public IEnumerable<Room> Rooms => _rooms.Values;

    public Room? Find(string name) => _rooms.GetValueOrDefault(name);

    /// <summary>Joins <paramref name="participant"/> to the room called <paramref name="name"/>, creating it if needed.</summary>
    public Room Join(string name, Participant participant)
    {
        while (true)
        {
            if (!_rooms.TryGetValue(name, out var room))
            {
                var created = new Room(name, _broker, _metrics);
                room = _rooms.GetOrAdd(name, created);
                if (ReferenceEquals(room, created))
                {
                    _broker.Attach(room);
                }
            }

            if (room.TryJoin(participant))
            {
                return room;
            }

            // The room emptied and closed after we found it; make sure it is gone, then start over.
            _rooms.TryRemove(new KeyValuePair<string, Room>(name, room));
        }
    }

    public void Leave(Room room, Participant participant, LeaveReason reason)
    {
        if (room.Leave(participant, reason) && _rooms.TryRemove(new KeyValuePair<string, Room>(room.Name, room)))
        {
            _broker.Detach(room);
        }
    }
}
