using WsAudio.Server.Hosting;

ServerApp.Build(args).Run();
