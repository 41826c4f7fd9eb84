namespace WsAudio.Tests.Support;

/// <summary>Counting in Ogg files the tests send, without the server's reader.</summary>
internal static class OggFile
{
    /// <summary>Audio packets of an Ogg Opus file: packets end at lacing values under 255; the first two are headers.</summary>
    public static int AudioPackets(byte[] file)
    {
        int packets = 0;
        for (int at = 0; at + 27 <= file.Length;)
        {
            int segments = file[at + 26];
            int body = 0;
            for (int i = 0; i < segments; i++)
            {
                body += file[at + 27 + i];
                packets += file[at + 27 + i] < 255 ? 1 : 0;
            }

            at += 27 + segments + body;
        }

        return packets - 2;
    }

    /// <summary>Where the page with the given index starts.</summary>
    public static int PageStart(byte[] file, int index)
    {
        int at = 0;
        for (int i = 0; i < index; i++)
        {
            int segments = file[at + 26];
            int body = 0;
            for (int s = 0; s < segments; s++)
            {
                body += file[at + 27 + s];
            }

            at += 27 + segments + body;
        }

        return at;
    }
}
