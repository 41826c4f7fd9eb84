namespace WsAudio.Server.Hub;

/// <summary>What became of a <see cref="Room.TryJoin"/>.</summary>
internal enum JoinResult
{
    Joined,

    /// <summary>The room has its maximum of members.</summary>
    Full,

    /// <summary>The room emptied and closed meanwhile.</summary>
    Closed,
}
