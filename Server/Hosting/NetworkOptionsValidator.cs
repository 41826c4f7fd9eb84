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

        return ValidateOptionsResult.Success;
    }
}
