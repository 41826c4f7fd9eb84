// The radio page: OFFLINE → LIVE → OFFLINE from server-sent events, the sound from the room's listen URL in an
// <audio> element. No WebSocket, no WebCodecs: it works wherever <audio> plays Ogg Opus.
import { byId, roomFromPath, showError, tokenFromUrl } from './common.js';

interface RoomStatus {
  live: boolean;
  listeners: number;
  listenUrl: string;
}

const roomName = roomFromPath();
byId('room-title').textContent = roomName;
document.title = `${roomName} · WsAudio radio`;
const player = byId<HTMLAudioElement>('player');
const play = byId<HTMLButtonElement>('play');
const badge = byId('badge');
const token = tokenFromUrl();

function showListeners(count: number): void {
  byId('listeners').textContent = `${count} ${count === 1 ? 'listener' : 'listeners'}`;
}

async function start(listenUrl: string): Promise<void> {
  player.src = token === undefined ? listenUrl : `${listenUrl}?token=${encodeURIComponent(token)}`;
  try {
    await player.play();
    play.classList.add('hidden');
  } catch {
    // The browser wants a click before sound plays.
    play.classList.remove('hidden');
  }
}

// Off air, the stream has nothing to give: let go of it, so the next broadcast starts at its live edge.
function stop(): void {
  player.pause();
  player.removeAttribute('src');
  player.load();
  play.classList.add('hidden');
}

function show(status: RoomStatus): void {
  badge.textContent = status.live ? 'LIVE' : 'OFFLINE';
  badge.classList.toggle('live', status.live);
  showListeners(status.listeners);
  if (status.live) void start(status.listenUrl);
  else stop();
}

const events = new EventSource(`/rooms/${encodeURIComponent(roomName)}/events`);
for (const name of ['status', 'stream-started', 'stream-stopped']) {
  events.addEventListener(name, (event) => show(JSON.parse((event as MessageEvent<string>).data) as RoomStatus));
}
events.addEventListener('listeners', (event) => showListeners((JSON.parse((event as MessageEvent<string>).data) as { listeners: number }).listeners));
events.onerror = () => showError(byId('error'), events.readyState === EventSource.CLOSED ? 'Lost the connection to the server' : undefined);
events.onopen = () => showError(byId('error'), undefined);

play.addEventListener('click', () => {
  void player.play().then(() => play.classList.add('hidden'));
});
player.addEventListener('error', () => {
  if (player.getAttribute('src') !== null) showError(byId('error'), 'The stream could not be played');
});
