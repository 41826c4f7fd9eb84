using WsAudio.Server.Hosting;

return ServerMain.Run(args);
