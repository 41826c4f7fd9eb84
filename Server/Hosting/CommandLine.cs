using System.Globalization;
using System.Reflection;
using System.Text;
using WsAudio.Server.Access;
using WsAudio.Server.Broker;
using WsAudio.Server.Outputs.Recording;
using WsAudio.Server.Radio;

namespace WsAudio.Server.Hosting;

/// <summary>
/// The server's command line: the short switches, every setting as <c>--Section:Name=value</c>, ASP.NET Core's
/// <c>--urls</c>, and <c>--help</c> / <c>--version</c>. Anything else is refused before the server starts, so a typo
/// does not start a server on the defaults.
/// </summary>
internal static class CommandLine
{
    /// <summary>Short switches for the common settings.</summary>
    public static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--host"] = $"{NetworkOptions.Section}:{nameof(NetworkOptions.Host)}",
        ["--port"] = $"{NetworkOptions.Section}:{nameof(NetworkOptions.Port)}",
        ["--metrics-url"] = $"{NetworkOptions.Section}:{nameof(NetworkOptions.MetricsUrl)}",
        ["--queue-depth"] = $"{RelayOptions.Section}:{nameof(RelayOptions.QueueDepth)}",
        ["--idle-timeout"] = $"{RelayOptions.Section}:{nameof(RelayOptions.StreamIdleTimeout)}",
        ["--max-message-bytes"] = $"{RelayOptions.Section}:{nameof(RelayOptions.MaxMessageBytes)}",
        ["--broker"] = $"{BrokerOptions.Section}:{nameof(BrokerOptions.Url)}",
    };

    // Each section and the class that documents its settings (on its properties, with their defaults).
    private static readonly (string Section, Type Options)[] Sections =
    [
        (NetworkOptions.Section, typeof(NetworkOptions)),
        (RelayOptions.Section, typeof(RelayOptions)),
        (LimitsOptions.Section, typeof(LimitsOptions)),
        (PresenceOptions.Section, typeof(PresenceOptions)),
        (AccessOptions.Section, typeof(AccessOptions)),
        (EmbeddingOptions.Section, typeof(EmbeddingOptions)),
        (BrokerOptions.Section, typeof(BrokerOptions)),
        (RadioOptions.Section, typeof(RadioOptions)),
        (RecordingOptions.Section, typeof(RecordingOptions)),
    ];

    // ASP.NET Core's own settings, passed through as they are.
    private static readonly string[] HostSections = ["Logging", "Kestrel", "AllowedHosts", "urls", "environment", "contentRoot"];

    /// <summary>The server's version: the same for the server, the <c>wsaudio</c> tool and the npm package.</summary>
    public static string Version =>
        typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Why the command line cannot be taken, in one line; null when it can.</summary>
    public static string? FindProblem(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                return $"unexpected argument '{arg}'; settings are --name value or --Section:Name=value";
            }

            string name = arg.Split('=', 2)[0];
            bool hasValue = arg.Contains('=', StringComparison.Ordinal);
            if (Switches.ContainsKey(name) || name == "--urls")
            {
                i += hasValue ? 0 : 1;
                if (!hasValue && i >= args.Length)
                {
                    return $"{name} needs a value";
                }

                continue;
            }

            if (Unknown(name[2..]) is { } problem)
            {
                return problem;
            }

            i += hasValue ? 0 : 1;
            if (!hasValue && i >= args.Length)
            {
                return $"{name} needs a value";
            }
        }

        return null;
    }

    /// <summary>Every switch and setting with its default, for <c>--help</c>.</summary>
    public static string Help()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"wsaudio-server {Version}: live audio rooms over WebSockets.\n\n");
        text.Append("Usage: WsAudio.Server [--host H] [--port P] [--Section:Name=value ...]\n\n");
        text.Append("Switches:\n");
        foreach (var (name, setting) in Switches)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {name,-22} {setting}\n");
        }

        text.Append("  --urls                 ASP.NET Core's listen addresses (also ASPNETCORE_URLS or Kestrel:Endpoints); they win over --host/--port\n");
        text.Append("  --help, --version\n\n");
        text.Append("Settings (--Section:Name=value, WSAUDIO_Section__Name=value, or appsettings.json), with their defaults:\n");
        foreach (var (section, options) in Sections)
        {
            object defaults = Activator.CreateInstance(options)!;
            foreach (var property in options.GetProperties().Where(p => p.CanWrite))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {section + ":" + property.Name,-36} {Show(property.GetValue(defaults))}\n");
            }
        }

        text.Append("\nEach setting is documented in docs/ (architecture.md lists them); out-of-range values stop the server with a message naming the setting.\n");
        return text.ToString();
    }

    private static string? Unknown(string key)
    {
        string[] parts = key.Split(':');
        if (HostSections.Contains(parts[0], StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var match = Sections.FirstOrDefault(s => string.Equals(s.Section, parts[0], StringComparison.OrdinalIgnoreCase));
        if (match.Options is null)
        {
            return $"unknown option '--{key}'; see --help";
        }

        if (parts.Length < 2 || match.Options.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is null)
        {
            return $"unknown setting '{key}': {match.Section} has {string.Join(", ", match.Options.GetProperties().Where(p => p.CanWrite).Select(p => p.Name))}";
        }

        return null;
    }

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        string s when s.Length == 0 => "(none)",
        string[] list => list.Length == 0 ? "(none)" : string.Join(",", list),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
