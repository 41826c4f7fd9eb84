using WsAudio.Protocol.Framing;

namespace WsAudio.Client.Connection;

/// <summary>Receives one audio frame; <paramref name="payload"/> is valid only during the call.</summary>
public delegate void AudioFrameHandler(in AudioFrameHeader header, ReadOnlySpan<byte> payload);
