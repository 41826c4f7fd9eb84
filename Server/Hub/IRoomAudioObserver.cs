using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>
/// Sees every audio frame the room fans out (its own senders' and other nodes'), on the fan-out thread: it must
/// return at once, and keep a reference (<see cref="SharedFrame.AddReferences"/>) to any frame it holds on to.
/// </summary>
internal interface IRoomAudioObserver
{
    void OnAudio(SharedFrame frame);
}
