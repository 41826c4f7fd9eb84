using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Transport;

/// <summary>The connection's keep-alive, which the connection monitor drives.</summary>
internal sealed partial class Connection
{
    // A ping frame as the server writes it: FIN and opcode 0x9, unmasked, no payload.
    private static readonly byte[] PingFrame = [0x89, 0x00];

    // Used only by the connection monitor's thread: the reads seen at its last look, when it last saw them change
    // (or the connection open), and when it pinged without an answer since (0: no ping waits).
    private int _readsSeen;
    private long _heardAt = Environment.TickCount64;
    private long _pingedAt;

    /// <summary>
    /// Keep-alive, called by the connection monitor on each pass while the connection is not closing: a peer that
    /// has sent nothing for <see cref="RelayOptions.KeepAliveInterval"/> gets a WebSocket ping, and one that then
    /// sends nothing for <see cref="RelayOptions.KeepAliveTimeout"/>, not even the pong, is aborted as gone. Anything
    /// the peer sends counts, so a sender or a client that pings is never pinged.
    /// </summary>
    public void KeepAlive(long now)
    {
        long interval = (long)_options.KeepAliveInterval.TotalMilliseconds;
        if (interval <= 0)
        {
            return;
        }

        int reads = _wire.Reads;
        if (reads != _readsSeen)
        {
            _readsSeen = reads;
            _heardAt = now;
            _pingedAt = 0;
        }

        long timeout = (long)_options.KeepAliveTimeout.TotalMilliseconds;
        if (_pingedAt == 0 ? now - _heardAt >= interval : timeout <= 0 && now - _pingedAt >= interval)
        {
            // With no timeout, pings go on every interval: they still keep proxies and NATs from closing the path.
            _pingedAt = now;
            var ping = SharedFrame.ForProtocolFrame(PingFrame);
            if (Outbound.EnqueueProtocol(ping) == EnqueueResult.Rejected)
            {
                ping.Release();
            }
        }
        else if (_pingedAt != 0 && timeout > 0 && now - _pingedAt >= timeout)
        {
            Log.KeepAliveTimedOut(_logger, Id, (now - _pingedAt) / 1000.0);
            _socket.Abort();
        }
    }
}
