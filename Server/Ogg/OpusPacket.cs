namespace WsAudio.Server.Ogg;

/// <summary>What an Opus packet's table-of-contents byte says about its length (RFC 6716 §3.1).</summary>
internal static class OpusPacket
{
    /// <summary>Samples at 48 kHz the packet decodes to, or 0 when it is malformed.</summary>
    public static int Samples(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return 0;
        }

        byte toc = packet[0];
        int config = toc >> 3;

        // Frame size by configuration: SILK 10/20/40/60 ms, hybrid 10/20 ms, CELT 2.5/5/10/20 ms.
        int frame = config switch
        {
            < 12 => (config & 3) switch { 0 => 480, 1 => 960, 2 => 1920, _ => 2880 },
            < 16 => (config & 1) == 0 ? 480 : 960,
            _ => (config & 3) switch { 0 => 120, 1 => 240, 2 => 480, _ => 960 },
        };

        int frames = (toc & 3) switch
        {
            0 => 1,
            1 or 2 => 2,
            _ => packet.Length < 2 ? 0 : packet[1] & 0x3F,
        };

        int samples = frame * frames;
        return samples > 5760 ? 0 : samples;
    }
}
