using System.Collections.Concurrent;
using WsAudio.Server.Broker;
using WsAudio.Protocol.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WsAudio.Protocol;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Hub;

/// <summary>The rooms of this node: created by their first join, removed when their last member leaves.</summary>
internal sealed class RoomRegistry
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly IRoomBroker _broker;
    private readonly RelayMetrics _metrics;
    private readonly LimitsOptions _limits;
    private readonly PresenceOptions _presence;
    private readonly ILogger<Room> _logger;

    public RoomRegistry(IRoomBroker broker, RelayMetrics metrics, IOptions<LimitsOptions> limits, IOptions<PresenceOptions> presence, ILogger<Room> logger)
    {
        _logger = logger;
        _broker = broker;
        _metrics = metrics;
        _limits = limits.Value;
        _presence = presence.Value;
    }

    public int Count => _rooms.Count;

    /// <summary>The rooms, read without locking the registry (its <c>Values</c> would lock it and copy them all).</summary>
    public IEnumerable<Room> Rooms
    {
        get
        {
            foreach (var pair in _rooms)
            {
                yield return pair.Value;
            }
        }
    }

    public Room? Find(string name) => _rooms.GetValueOrDefault(name);

    /// <summary>Raised on the joining thread after each successful join on this node.</summary>
    public event Action<Room, Participant>? Joined;

    /// <summary>Raised on the leaving thread when a room's last member on this node has left and the room is gone.</summary>
    public event Action<Room>? Closed;

    /// <summary>
    /// Joins <paramref name="participant"/> to the room called <paramref name="name"/>, creating it if needed; or
    /// returns the error code (room full, too many rooms) that refuses it.
    /// </summary>
    public (Room? Room, string? Error) Join(string name, Participant participant)
    {
        while (true)
        {
            if (!_rooms.TryGetValue(name, out var room))
            {
                // The cap is checked before adding, so concurrent creations may overshoot it by a few; rooms are cheap.
                if (_limits.MaxRooms > 0 && _rooms.Count >= _limits.MaxRooms)
                {
                    return (null, ErrorCodes.TooManyRooms);
                }

                var created = new Room(name, _broker, _metrics, _presence, _logger);
                room = _rooms.GetOrAdd(name, created);
                if (ReferenceEquals(room, created))
                {
                    _broker.Attach(room);
                }
            }

            switch (room.TryJoin(participant, _limits.MaxParticipantsPerRoom))
            {
                case JoinResult.Joined:
                    Joined?.Invoke(room, participant);
                    return (room, null);
                case JoinResult.Full:
                    return (null, ErrorCodes.RoomFull);
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
            Closed?.Invoke(room);
        }
    }
}
