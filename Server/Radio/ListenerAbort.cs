using WsAudio.Server.Transport;

namespace WsAudio.Server.Radio;

/// <summary>Ends a listen-URL request whose queue overflowed: the player stopped reading for too long.</summary>
internal sealed class ListenerAbort(HttpContext context) : IOutboundOwner
{
    public void OnOverflow() => context.Abort();

    // The queue has no writer of its own: the request's body loop writes and counts what it sends.
    public void OnWritten(ReadOnlySpan<SharedFrame> frames)
    {
    }

    public void OnBroken()
    {
    }
}
