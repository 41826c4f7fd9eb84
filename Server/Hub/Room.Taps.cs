namespace WsAudio.Server.Hub;

/// <summary>
/// The room's taps: members that receive its speech decoded (from the room's outputs, not the fan-out), keep the room
/// open like any member, and are never shown to the others: no announcement, not listed, not in the audience.
/// </summary>
internal sealed partial class Room
{
    private readonly List<Participant> _taps = [];

    /// <summary>Taps on this node now.</summary>
    public int TapCount
    {
        get
        {
            lock (_gate)
            {
                return _taps.Count;
            }
        }
    }

    private void JoinTapLocked(Participant tap)
    {
        AssignIds(tap);
        _taps.Add(tap);
        SendTapJoinedLocked(tap);
    }

    private bool LeaveTapLocked(Participant tap) => _taps.Remove(tap) && CloseIfEmptyLocked();
}
