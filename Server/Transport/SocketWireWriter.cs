using System.Net.Sockets;

namespace WsAudio.Server.Transport;

/// <summary>
/// Writes a plain TCP connection's frames straight to its socket: a message to an idle receiver costs one
/// non-blocking <c>send</c> on the publishing thread, with no pipe, no flush and no thread hop.
/// </summary>
/// <remarks>
/// Safe only because nothing else writes to the socket once the WebSocket handshake is done: every frame,
/// the protocol layer's pings, pongs and closes included, goes through the connection's queue and this writer.
/// </remarks>
internal sealed class SocketWireWriter : IWireWriter
{
    private readonly Socket _socket;

    public SocketWireWriter(Socket socket)
    {
        _socket = socket;

        // Synchronous sends return at once with what the kernel took; the server's asynchronous reads and sends
        // on this socket are not affected.
        _socket.Blocking = false;
    }

    // Kestrel disposes the socket when the connection ends, which can happen between a fan-out's look at the queue
    // and its write: that is a broken connection like any other, not an exception for the publishing thread.
    public int TryWriteNow(ReadOnlySpan<byte> wire)
    {
        try
        {
            return Result(_socket.Send(wire, SocketFlags.None, out var error), error);
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
    }

    public int TryWriteNow(IList<ArraySegment<byte>> wire)
    {
        try
        {
            return Result(_socket.Send(wire, SocketFlags.None, out var error), error);
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
    }

    private static int Result(int sent, SocketError error) => error switch
    {
        SocketError.Success => sent,
        SocketError.WouldBlock or SocketError.TryAgain or SocketError.NoBufferSpaceAvailable => 0,
        _ => -1,
    };

    public async ValueTask WriteAsync(IList<ArraySegment<byte>> wire)
    {
        try
        {
            // One gathering send; on a stream socket it completes only when every byte is written.
            await _socket.SendAsync(wire, SocketFlags.None);
        }
        catch (SocketException ex)
        {
            throw new System.Net.WebSockets.WebSocketException("the connection broke while writing", ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new System.Net.WebSockets.WebSocketException("the connection closed while writing", ex);
        }
    }
}
