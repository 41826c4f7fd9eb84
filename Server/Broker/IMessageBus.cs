namespace WsAudio.Server.Broker;

/// <summary>
/// The few things the room broker needs from a message bus. <see cref="NatsMessageBus"/> implements it over
/// NATS.Client; a newer client replaces that one file. No member throws: a broken bus answers false or null.
/// Whether it is connected is not asked: the broker measures that with round trips of its own.
/// </summary>
internal interface IMessageBus : IDisposable
{
    /// <summary>Publishes; false when the message was lost. May block, even for long, so callers use a thread of their own.</summary>
    bool Publish(string subject, byte[] data);

    /// <summary>
    /// Delivers every message on <paramref name="subject"/> (wildcards allowed) to <paramref name="handler"/>, on a
    /// bus thread; null when the bus cannot take a subscription now (disconnected): try again after reconnecting.
    /// </summary>
    IDisposable? Subscribe(string subject, Action<string, byte[]> handler);
}
