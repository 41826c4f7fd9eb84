// Benchmark peer: the smallest relay uWebSockets allows, with the shape every peer shares:
// ws://127.0.0.1:PORT/ws?room=R&role=speaker|listener; each binary message of a speaker goes to every other
// member of its room that receives (speakers and listeners). Nothing else: no validation, no presence.
// Usage: node relay.mjs PORT
import { createRequire } from 'node:module';

const uWS = createRequire(import.meta.url)('uwebsockets');
const port = Number(process.argv[2] ?? 18200);

uWS.App()
  .ws('/ws', {
    compression: uWS.DISABLED,
    maxPayloadLength: 16 * 1024,
    // Like the other relays: about one second of 20 ms frames may wait for a slow reader, then it is dropped.
    maxBackpressure: 64 * 1024,
    idleTimeout: 0,
    upgrade: (res, req, context) => {
      const query = new URLSearchParams(req.getQuery() ?? '');
      res.upgrade(
        { room: query.get('room') ?? '', role: query.get('role') ?? 'listener' },
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    open: (ws) => {
      const { room, role } = ws.getUserData();
      if (role !== 'broadcaster') ws.subscribe(room);
    },
    message: (ws, message, isBinary) => {
      const { room, role } = ws.getUserData();
      // publish() from a socket skips that socket: a speaker does not hear itself.
      if (isBinary && role !== 'listener') ws.publish(room, message, true);
    },
  })
  .get('/healthz', (res) => res.end('ok'))
  .listen('127.0.0.1', port, (listening) => {
    if (!listening) {
      console.error(`uws relay: cannot listen on ${port}`);
      process.exit(1);
    }
    console.error(`uws relay on ${port}`);
  });
