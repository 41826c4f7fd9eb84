using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WsAudio.Protocol;

namespace WsAudio.Tests.Support;

/// <summary>Access tokens for tests, including ones a server must refuse.</summary>
internal static class Tokens
{
    public const string Key = "test-key-0123456789-abcdefghijklmnop";
    public const string PreviousKey = "old-key-0123456789-abcdefghijklmnopq";
    public const string WrongKey = "not-the-key-0123456789-abcdefghijklm";

    /// <summary>Server arguments that make tokens mandatory, with <see cref="PreviousKey"/> still accepted.</summary>
    public static readonly string[] ServerArguments = [$"--Access:TokenKey={Key}", $"--Access:PreviousTokenKeys:0={PreviousKey}"];

    public static string For(string room, string grants = "publish,subscribe", string identity = "tester", string? name = null, string key = Key, TimeSpan? ttl = null)
    {
        var now = DateTime.UtcNow;
        var lifetime = ttl ?? TimeSpan.FromHours(1);
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = identity,
            [TokenClaims.Room] = room,
            [TokenClaims.Grants] = grants.Split(','),
        };
        if (name is not null)
        {
            claims[TokenClaims.Name] = name;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "wsaudio",
            Audience = "wsaudio",
            IssuedAt = now + lifetime - TimeSpan.FromHours(2),
            NotBefore = now + lifetime - TimeSpan.FromHours(2),
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
