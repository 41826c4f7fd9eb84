namespace WsAudio.Server.Transport;

/// <summary>
/// Writes a connection's frames to the stream the server gave it: for TLS and HTTP/2, where the socket carries
/// other bytes than the frames. Every write waits for the consumer, so nothing is written at once.
/// </summary>
internal sealed class StreamWireWriter : IWireWriter
{
    private readonly Stream _stream;

    public StreamWireWriter(Stream stream)
    {
        _stream = stream;
    }

    public int TryWriteNow(ReadOnlySpan<byte> wire) => 0;

    public int TryWriteNow(IList<ArraySegment<byte>> wire) => 0;

    public async ValueTask WriteAsync(IList<ArraySegment<byte>> wire)
    {
        try
        {
            foreach (var segment in wire)
            {
                await _stream.WriteAsync(segment);
            }

            await _stream.FlushAsync();
        }
        catch (IOException ex)
        {
            throw new System.Net.WebSockets.WebSocketException("the connection broke while writing", ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new System.Net.WebSockets.WebSocketException("the connection closed while writing", ex);
        }
    }
}
