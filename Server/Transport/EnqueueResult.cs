namespace WsAudio.Server.Transport;

/// <summary>What happened to a frame offered to an <see cref="OutboundQueue"/>.</summary>
internal enum EnqueueResult
{
    /// <summary>Queued.</summary>
    Queued,

    /// <summary>Queued, and the oldest queued audio frame was dropped to make room.</summary>
    QueuedDroppedOldest,

    /// <summary>Not queued: the connection is closing, or (control) it fell too far behind and is now closing.</summary>
    Rejected,
}
