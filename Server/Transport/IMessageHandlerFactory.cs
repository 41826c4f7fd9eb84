namespace WsAudio.Server.Transport;

/// <summary>Makes the protocol layer for each new connection; the host decides which (the transport does not know).</summary>
internal interface IMessageHandlerFactory
{
    IMessageHandler Create(Connection connection);
}
