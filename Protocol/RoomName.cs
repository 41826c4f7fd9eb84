namespace WsAudio.Protocol;

/// <summary>The rule for room names: 1–64 characters of A–Z, a–z, 0–9, '.', '_' and '-', starting with a letter or digit. Case matters.</summary>
public static class RoomName
{
    /// <summary>Longest accepted room name.</summary>
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
