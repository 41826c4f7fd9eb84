namespace WsAudio.Server.Transport;

/// <summary>Told of the messages one write put on the wire whole, in order: one call per write, not per message.</summary>
internal delegate void FramesWritten(ReadOnlySpan<SharedFrame> frames);
