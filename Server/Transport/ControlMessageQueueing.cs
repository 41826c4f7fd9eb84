using WsAudio.Protocol.Messages;

namespace WsAudio.Server.Transport;

/// <summary>Queues one control message for one connection.</summary>
internal static class ControlMessageQueueing
{
    /// <summary>
    /// Serializes <paramref name="message"/> and queues it after everything already queued; control messages are
    /// never dropped (a connection that lets too many pile up is closed instead).
    /// </summary>
    public static void EnqueueMessage(this OutboundQueue queue, ControlMessage message)
    {
        var frame = SharedFrame.ForText(ControlMessageSerializer.Serialize(message));
        if (queue.Enqueue(frame) == EnqueueResult.Rejected)
        {
            frame.Release();
        }
    }
}
