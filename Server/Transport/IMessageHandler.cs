using System.Net.WebSockets;

namespace WsAudio.Server.Transport;

/// <summary>What a <see cref="Connection"/> does with what it receives: the protocol layer above the transport.</summary>
internal interface IMessageHandler
{
    /// <summary>One complete text or binary message, valid only during the call.</summary>
    void OnMessage(WebSocketMessageType type, ReadOnlySpan<byte> message);

    /// <summary>A message grew past the size limit; the rest of it is discarded.</summary>
    void OnMessageTooBig();

    /// <summary>The connection ended, for whatever reason. Called once.</summary>
    void OnDisconnected();

    /// <summary>A periodic check for timeouts, from another thread (<c>Environment.TickCount64</c>).</summary>
    void OnTick(long nowTicks);
}
