using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WsAudio.Protocol;

namespace WsAudio.Server.Access;

/// <summary>Checks access tokens (HS256 JWTs) against the configured key and any previous keys.</summary>
internal sealed class TokenValidator
{
    private readonly AccessOptions _options;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters? _parameters;

    public TokenValidator(IOptions<AccessOptions> options)
    {
        _options = options.Value;
        if (!_options.Enabled)
        {
            return;
        }

        _parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = new[] { _options.TokenKey }.Concat(_options.PreviousTokenKeys)
                .Select(k => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(k)))
                .ToArray(),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            ClockSkew = _options.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };
    }

    public bool Enabled => _parameters is not null;

    /// <summary>The holder's admission to <paramref name="room"/>, or the error code and reason it is refused.</summary>
    public (Admission? Admission, string? Error, string? Reason) Admit(string? token, string room)
    {
        if (_parameters is null)
        {
            return (Admission.Open, null, null);
        }

        if (string.IsNullOrEmpty(token))
        {
            return (null, ErrorCodes.TokenRequired, "this server requires an access token; ask whoever invited you for a link that includes one");
        }

        // HS256 validation does no I/O, so the task has completed when it returns.
        var result = _handler.ValidateTokenAsync(token, _parameters).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            return result.Exception is SecurityTokenExpiredException
                ? (null, ErrorCodes.TokenExpired, "the access token has expired")
                : (null, ErrorCodes.TokenInvalid, $"the access token is not valid: {Describe(result.Exception)}");
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        string? pattern = jwt.TryGetPayloadValue<string>(TokenClaims.Room, out var value) ? value : null;
        if (pattern is null || !TokenClaims.RoomMatches(pattern, room))
        {
            return (null, ErrorCodes.TokenWrongRoom, $"the access token is not for room '{room}'");
        }

        var grants = jwt.Claims.Where(c => c.Type == TokenClaims.Grants).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        string? name = jwt.TryGetPayloadValue<string>(TokenClaims.Name, out var n) ? n : null;
        return (new Admission(jwt.Subject, name, grants), null, null);
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "bad signature",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenNoExpirationException => "no expiry",
        SecurityTokenNotYetValidException => "not valid yet",
        SecurityTokenMalformedException or ArgumentException => "malformed",
        _ => "rejected",
    };
}
