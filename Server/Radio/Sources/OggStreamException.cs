namespace WsAudio.Server.Radio.Sources;

/// <summary>A source's Ogg stream is broken or not what the server takes; the message says how, for the log.</summary>
internal sealed class OggStreamException(string message) : Exception(message);
