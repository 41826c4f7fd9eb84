using System.Text.Json;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Access;

namespace WsAudio.Server.Outputs.Recording;

/// <summary>
/// <c>GET /api/recordings</c>, for admins: the sidecars of the recordings folder whose room the token admits with the
/// <c>admin</c> grant. The token comes as <c>Authorization: Bearer …</c> or <c>?token=</c>. A server without a token
/// key has no admins, so it lists nothing to anyone (403); its operator reads the folder.
/// </summary>
internal static class RecordingsEndpoint
{
    private const string Probe = "recordings";

    public static async Task HandleAsync(HttpContext context, Recorders recorders, TokenValidator tokens)
    {
        if (!tokens.Enabled)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "listing recordings needs an admin token, and this server has no token key (Access:TokenKey)");
            return;
        }

        string? header = context.Request.Headers.Authorization.FirstOrDefault();
        string? token = header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : context.Request.Query["token"].FirstOrDefault();

        // Any room will do to check the token itself; which rooms it admits is asked per recording below.
        var (admission, error, reason) = tokens.Admit(token, Probe);
        if (error is ErrorCodes.TokenRequired or ErrorCodes.TokenInvalid or ErrorCodes.TokenExpired)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, error, reason!);
            return;
        }

        if (admission is not null && !admission.Has(Grants.Admin))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "listing recordings needs the admin grant, which the token does not give");
            return;
        }

        var recordings = recorders.List(room => tokens.Admit(token, room).Admission?.Has(Grants.Admin) == true);
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new RecordingsDocument(recordings), RecordingJsonContext.Default.RecordingsDocument));
    }

    private static async Task RefuseAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(ControlMessageSerializer.Serialize(new ErrorMessage { Code = code, Message = message }));
    }
}
