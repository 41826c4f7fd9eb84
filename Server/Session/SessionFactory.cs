using Microsoft.Extensions.Options;
using WsAudio.Server.Access;
using WsAudio.Server.Hosting;
using WsAudio.Server.Hub;
using WsAudio.Server.Outputs;
using WsAudio.Server.Outputs.Recording;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Session;

/// <summary>Gives every connection a <see cref="ClientSession"/>: the WsAudio protocol over rooms.</summary>
internal sealed class SessionFactory(RoomRegistry rooms, TokenValidator tokens, RoomOutputs outputs, Recorders recorders, IOptions<LimitsOptions> limits, ILogger<ClientSession> logger) : IMessageHandlerFactory
{
    public IMessageHandler Create(Connection connection) => new ClientSession(connection, rooms, tokens, outputs, recorders, limits.Value, logger);
}
