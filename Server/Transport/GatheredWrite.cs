namespace WsAudio.Server.Transport;

/// <summary>
/// A gathering write of several messages that goes out of one contiguous copy when they are small: for a few hundred
/// bytes, copying costs less than handing the kernel a vector of buffers, each pinned for the call (measured: one
/// room of 10,000 with the audience's writes gathered, 1.39-1.43 against 1.47-1.55 server CPU-s per million frames).
/// </summary>
internal static class GatheredWrite
{
    /// <summary>Messages up to this many bytes in all are copied.</summary>
    public const int CopyLimit = 2048;

    [ThreadStatic]
    private static byte[]? t_buffer;

    /// <summary>As <see cref="IWireWriter.TryWriteNow(IList{ArraySegment{byte}})"/>; <paramref name="total"/> is their length.</summary>
    public static int TryWriteNow(IWireWriter writer, List<ArraySegment<byte>> segments, int total)
    {
        if (total > CopyLimit || segments.Count == 1)
        {
            return segments.Count == 1 ? writer.TryWriteNow(segments[0].AsSpan()) : writer.TryWriteNow(segments);
        }

        // Used only within this call, before any await: one buffer per thread serves every connection.
        var buffer = t_buffer ??= new byte[CopyLimit];
        int at = 0;
        foreach (var segment in segments)
        {
            segment.AsSpan().CopyTo(buffer.AsSpan(at));
            at += segment.Count;
        }

        return writer.TryWriteNow(buffer.AsSpan(0, total));
    }
}
