using System.Security.Cryptography;

namespace WsAudio.Server.Hub;

/// <summary>Unguessable ids, so knowing one participant's id or stream id tells nothing about another's.</summary>
internal static class RandomIds
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    /// <summary>"p" and ten characters of a 32-letter alphabet (50 bits).</summary>
    public static string NewParticipantId()
    {
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[11];
        chars[0] = 'p';
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[i + 1] = Alphabet[bytes[i] & 31];
        }

        return new string(chars);
    }

    /// <summary>A non-zero 32-bit stream id.</summary>
    public static uint NewStreamId()
    {
        uint id;
        do
        {
            id = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        }
        while (id == 0);

        return id;
    }
}
