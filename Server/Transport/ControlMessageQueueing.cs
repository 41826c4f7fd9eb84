using WsAudio.Protocol.Messages;

namespace WsAudio.Server.Transport;

/// <summary>Queues one control message for one connection.</summary>
internal static class ControlMessageQueueing
{
    /// <summary>
    /// Serializes <paramref name="message"/> and queues it after everything already queued; control messages are
    /// never dropped (a connection that lets too many pile up is closed instead).
    /// </summary>
    public static void EnqueueMessage(this OutboundQueue queue, ControlMessage message) =>
        queue.EnqueueSerialized(ControlMessageSerializer.Serialize(message));

    /// <summary>Queues a control message already serialized to UTF-8 JSON, as <see cref="EnqueueMessage"/> does.</summary>
    public static void EnqueueSerialized(this OutboundQueue queue, byte[] utf8Json)
    {
        var frame = SharedFrame.ForText(utf8Json);
        if (queue.Enqueue(frame) == EnqueueResult.Rejected)
        {
            frame.Release();
        }
    }
}
