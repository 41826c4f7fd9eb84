namespace WsAudio.Protocol;

/// <summary>The rule for display names: at most 64 characters after trimming, no control characters. Empty means anonymous.</summary>
public static class DisplayName
{
    /// <summary>Longest accepted display name, in UTF-16 code units after trimming.</summary>
    public const int MaxLength = 64;

    /// <summary>Trims <paramref name="name"/>; returns false when the result breaks the rule.</summary>
    public static bool TryNormalize(string? name, out string normalized)
    {
        normalized = name?.Trim() ?? string.Empty;
        if (normalized.Length > MaxLength)
        {
            return false;
        }

        foreach (char c in normalized)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }
}
