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

    /// <summary>Writes all of <paramref name="wire"/>, waiting as long as the peer takes.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> wire);
}
