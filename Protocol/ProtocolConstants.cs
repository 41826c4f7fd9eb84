namespace WsAudio.Protocol;

/// <summary>Fixed values of wire protocol v1 (see docs/protocol.md).</summary>
public static class ProtocolConstants
{
    /// <summary>The WebSocket subprotocol a client must offer in its handshake.</summary>
    public const string Subprotocol = "wsaudio.v1";

    /// <summary>The value of the first byte of every binary frame.</summary>
    public const byte Version = 1;

    /// <summary>Size of the fixed binary frame header, in bytes.</summary>
    public const int HeaderSize = 24;

    /// <summary>The WebSocket path the server listens on.</summary>
    public const string Path = "/ws";
}
