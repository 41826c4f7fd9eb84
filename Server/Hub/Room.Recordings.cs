using WsAudio.Protocol.Messages;

namespace WsAudio.Server.Hub;

/// <summary>
/// Whether the room is recorded, on this node or on another: every member is told of every recording of its room,
/// wherever it runs, when it starts and stops and right after the member's own <c>joined</c>.
/// </summary>
internal sealed partial class Room
{
    // This node's recording (at most one), and the other nodes' by node. Guarded by the room's lock.
    private string? _localRecording;
    private readonly Dictionary<string, string> _remoteRecordings = new(StringComparer.Ordinal);

    /// <summary>
    /// This node started or stopped recording the room: its members are told, and through the broker the members on
    /// other nodes; a member who joins later is told right after its <c>joined</c>.
    /// </summary>
    public void AnnounceRecording(RecordingMessage message)
    {
        lock (_gate)
        {
            _localRecording = message.Active ? message.Id : null;
            BroadcastLocked(message, except: null);
        }

        _broker.PublishEvent(this, message);
    }

    // Another node's recording started or stopped; told to the members here unless it repeats what they know (a
    // node sends its state again when another attaches the room).
    private void ApplyRemoteRecordingLocked(string nodeId, RecordingMessage message)
    {
        _remoteRecordings.TryGetValue(nodeId, out string? running);
        if (message.Active)
        {
            if (running == message.Id)
            {
                return;
            }

            if (running is not null)
            {
                // A node records a room once at a time: a new id means the old one's stop was lost on the way.
                BroadcastLocked(new RecordingMessage { Active = false, Id = running }, except: null);
            }

            _remoteRecordings[nodeId] = message.Id;
        }
        else
        {
            if (running != message.Id)
            {
                return;
            }

            _remoteRecordings.Remove(nodeId);
        }

        BroadcastLocked(message, except: null);
    }

    // A node that is gone records nothing any more.
    private void RemoveRemoteRecordingLocked(string nodeId)
    {
        if (_remoteRecordings.Remove(nodeId, out string? id))
        {
            BroadcastLocked(new RecordingMessage { Active = false, Id = id }, except: null);
        }
    }

    // For a member that just joined this node: the recordings that run, here and elsewhere. Told under the room's
    // lock, so a recording that stops meanwhile is told as stopped after it, never the other way round.
    private void TellRecordingsLocked(Participant participant)
    {
        if (_localRecording is not null)
        {
            SendLocked(participant, new RecordingMessage { Active = true, Id = _localRecording });
        }

        foreach (string id in _remoteRecordings.Values)
        {
            SendLocked(participant, new RecordingMessage { Active = true, Id = id });
        }
    }

    // For a node that attaches the room: this node's recording, among the rest of its state.
    private void AddLocalRecordingLocked(List<ControlMessage> state)
    {
        if (_localRecording is not null)
        {
            state.Add(new RecordingMessage { Active = true, Id = _localRecording });
        }
    }
}
