namespace WsAudio.Server.Transport;

/// <summary>
/// What an <see cref="OutboundQueue"/> tells the connection it writes for, on the producing thread. The connection
/// itself implements it: three delegates instead would be three more objects for each of ten thousand listeners.
/// </summary>
internal interface IOutboundOwner
{
    /// <summary>
    /// The queue closed as overflowed. Its consumer may be stuck in a write that never completes, so the owner must
    /// act (close the connection) rather than wait for it to notice. Called once.
    /// </summary>
    void OnOverflow();

    /// <summary>The messages one write of the queue's writer put on the wire whole, in order: one call per write.</summary>
    void OnWritten(ReadOnlySpan<SharedFrame> frames);

    /// <summary>The queue's writer found the connection broken. Called once.</summary>
    void OnBroken();
}
