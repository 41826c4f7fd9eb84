namespace WsAudio.Server.Broker;

/// <summary>A message waiting for the bus; probes measure the bus itself and are sent even while it seems down.</summary>
internal readonly record struct OutgoingMessage(string Subject, byte[] Data, bool IsProbe = false);
