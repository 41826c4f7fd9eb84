using Microsoft.Extensions.Options;

namespace WsAudio.Server.Hosting;

/// <summary>Refuses to start with a port or host that cannot be bound.</summary>
internal sealed class NetworkOptionsValidator : IValidateOptions<NetworkOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworkOptions options)
    {
        if (options.Port is < 0 or > 65535)
        {
            return ValidateOptionsResult.Fail($"{NetworkOptions.Section}:Port is {options.Port}; it must be between 0 and 65535.");
        }

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            return ValidateOptionsResult.Fail($"{NetworkOptions.Section}:Host must not be empty.");
        }

        if (options.Port == 0 && options.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail($"{NetworkOptions.Section}:Port 0 needs an IP host such as 127.0.0.1, not localhost.");
        }

        if ((options.CertificatePath.Length > 0) != (options.CertificateKeyPath.Length > 0))
        {
            return ValidateOptionsResult.Fail($"{NetworkOptions.Section}:CertificatePath and {NetworkOptions.Section}:CertificateKeyPath go together: give both or neither.");
        }

        foreach (string path in new[] { options.CertificatePath, options.CertificateKeyPath }.Where(p => p.Length > 0))
        {
            if (!File.Exists(path))
            {
                return ValidateOptionsResult.Fail($"{NetworkOptions.Section}: the file '{path}' does not exist.");
            }
        }

        if (options.RequestHeadersTimeout < TimeSpan.FromSeconds(1) || options.RequestHeadersTimeout > TimeSpan.FromMinutes(5))
        {
            return ValidateOptionsResult.Fail($"{NetworkOptions.Section}:RequestHeadersTimeout is {options.RequestHeadersTimeout}; it must be between 1 s and 5 min.");
        }

        if (options.SendBufferBytes != 0 && options.SendBufferBytes is < 4096 or > 16 * 1024 * 1024)
        {
            return ValidateOptionsResult.Fail($"{NetworkOptions.Section}:SendBufferBytes is {options.SendBufferBytes}; it must be 0 (the system's default) or between 4096 and 16777216.");
        }

        if (options.KeepAliveTimeout < TimeSpan.FromSeconds(1) || options.KeepAliveTimeout > TimeSpan.FromHours(1))
        {
            return ValidateOptionsResult.Fail($"{NetworkOptions.Section}:KeepAliveTimeout is {options.KeepAliveTimeout}; it must be between 1 s and 1 h.");
        }

        if (options.MetricsUrl.Length > 0)
        {
            bool valid = Uri.TryCreate(options.MetricsUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                && uri.AbsolutePath == "/" && options.MetricsUrl.Contains($":{uri.Port}", StringComparison.Ordinal) && uri.Port > 0;
            if (!valid)
            {
                return ValidateOptionsResult.Fail($"{NetworkOptions.Section}:MetricsUrl is '{options.MetricsUrl}'; it must be an http or https address with a port and no path, such as http://127.0.0.1:9090.");
            }

            if (uri!.Port == options.Port)
            {
                return ValidateOptionsResult.Fail($"{NetworkOptions.Section}:MetricsUrl uses port {uri.Port}, the public port; give it a port of its own.");
            }
        }

        var bad = options.KnownProxies.Where(p => !System.Net.IPAddress.TryParse(p, out _)).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{NetworkOptions.Section}:KnownProxies has {string.Join(", ", bad)}, which is not an IP address.");
    }
}
