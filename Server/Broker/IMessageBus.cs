namespace WsAudio.Server.Broker;

/// <summary>
/// The few things the room broker needs from a message bus. <see cref="NatsMessageBus"/> implements it over
/// NATS.Client; a newer client replaces that one file.
/// </summary>
internal interface IMessageBus : IDisposable
{
    /// <summary>True while connected to the bus. A connection that was lost stays lost: the owner makes a new one.</summary>
    bool IsConnected { get; }

    /// <summary>Publishes; may block briefly, so callers use a dedicated thread.</summary>
    void Publish(string subject, byte[] data);

    /// <summary>
    /// Delivers every message on <paramref name="subject"/> (wildcards allowed) to <paramref name="handler"/>, on a
    /// bus thread; null when the bus cannot take a subscription now (disconnected): try again after reconnecting.
    /// Never throws.
    /// </summary>
    IDisposable? Subscribe(string subject, Action<string, byte[]> handler);
}
