using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WsAudio.Protocol;

namespace WsAudio.Cli;

/// <summary><c>wsaudio token</c>: mints an access token for servers that require one.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var room = new Option<string>("--room") { Description = "The room, a prefix ending in * (team-*), or * for every room", Required = true };
        var identity = new Option<string>("--identity") { Description = "Who the holder is (the token's subject)", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name others see (overrides the client's)" };
        var grants = new Option<string>("--grants") { Description = "Comma-separated: publish, subscribe, tap, admin", DefaultValueFactory = _ => "publish,subscribe" };
        var ttl = new Option<string>("--ttl") { Description = $"Lifetime: {Duration.Forms}", DefaultValueFactory = _ => "1h" };
        var key = new Option<string?>("--key") { Description = "The server's Access:TokenKey (default: $WSAUDIO_TOKEN_KEY)" };
        var issuer = new Option<string>("--issuer") { Description = "Must match the server's Access:Issuer", DefaultValueFactory = _ => "wsaudio" };
        var audience = new Option<string>("--audience") { Description = "Must match the server's Access:Audience", DefaultValueFactory = _ => "wsaudio" };
        var command = new Command("token", "Mint an access token (prints it)") { room, identity, name, grants, ttl, key, issuer, audience };
        command.SetAction(parse =>
        {
            try
            {
                string secret = parse.GetValue(key) ?? Environment.GetEnvironmentVariable("WSAUDIO_TOKEN_KEY")
                    ?? throw new FormatException("give --key or set WSAUDIO_TOKEN_KEY to the server's Access:TokenKey");
                Console.WriteLine(Mint(secret, parse.GetValue(room)!, parse.GetValue(identity)!, parse.GetValue(name), parse.GetValue(grants)!,
                    ParseDuration(parse.GetValue(ttl)!), parse.GetValue(issuer)!, parse.GetValue(audience)!));
                return 0;
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"wsaudio token: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    public static string Mint(string secret, string room, string identity, string? name, string grants, TimeSpan ttl, string issuer, string audience)
    {
        if (secret.Length < 32)
        {
            throw new FormatException("the key must be at least 32 characters, like the server's");
        }

        string[] grantList = grants.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] unknown = grantList.Except([Grants.Publish, Grants.Subscribe, Grants.Tap, Grants.Admin]).ToArray();
        if (unknown.Length > 0 || grantList.Length == 0)
        {
            throw new FormatException($"grants are publish, subscribe, tap and admin, not '{grants}'");
        }

        if (room != "*" && !RoomName.IsValid(room.TrimEnd('*')))
        {
            throw new FormatException($"'{room}' is neither a room name, a prefix ending in *, nor *");
        }

        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = identity,
            [TokenClaims.Room] = room,
            [TokenClaims.Grants] = grantList,
        };
        if (!string.IsNullOrWhiteSpace(name))
        {
            claims[TokenClaims.Name] = name;
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + ttl,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
    }

    private static TimeSpan ParseDuration(string text) =>
        Duration.TryParse(text, out var span) && span > TimeSpan.Zero ? span : throw new FormatException($"--ttl: '{text}' is not a duration; use {Duration.Forms}");
}
