namespace WsAudio.Server.Transport;

/// <summary>Where one connection's outgoing bytes go: its socket, or the stream of a TLS or HTTP/2 connection.</summary>
internal interface IWireWriter
{
    /// <summary>
    /// Writes what it can of <paramref name="wire"/> now, without waiting: the bytes written (fewer than asked, even
    /// none, when the peer's buffer is full), or -1 when the connection is broken. Writers that cannot write without
    /// waiting return 0.
    /// </summary>
    int TryWriteNow(ReadOnlySpan<byte> wire);

    /// <summary>As <see cref="TryWriteNow(ReadOnlySpan{byte})"/>, for several buffers in one write.</summary>
    int TryWriteNow(IList<ArraySegment<byte>> wire);

    /// <summary>Writes all of <paramref name="wire"/>, in order and as one write where it can, waiting as long as the peer takes.</summary>
    ValueTask WriteAsync(IList<ArraySegment<byte>> wire);
}
