import { Room, type StreamInfo } from 'wsaudio';
import { byId, roomFromPath, serverUrl, showError, showRecording, showState, tokenFromUrl } from './common.js';

const roomName = roomFromPath();
byId('room-title').textContent = roomName;
document.title = `${roomName} · WsAudio`;

const room = new Room({ url: serverUrl(), room: roomName, token: tokenFromUrl(), role: 'listener' });
(window as unknown as { wsaudioRoom: Room }).wsaudioRoom = room;
const badge = byId('badge');
const unblock = byId<HTMLButtonElement>('unblock');

function render(): void {
  const live: StreamInfo | undefined = [...room.liveStreams.values()][0];
  const lost = room.state === 'reconnecting';
  badge.textContent = lost ? 'NO CONNECTION' : live === undefined ? 'OFFLINE' : 'LIVE';
  badge.classList.toggle('live', live !== undefined && !lost);
  badge.classList.toggle('unknown', lost);
  const broadcaster = live === undefined ? undefined : room.participants.get(live.participantId);
  byId('who').textContent = live === undefined ? 'Waiting for the broadcast to start' : `${broadcaster?.name || 'Someone'} is on air`;
  const listeners = room.listenerCount;
  byId('listeners').textContent = `${listeners} ${listeners === 1 ? 'listener' : 'listeners'}`;
  unblock.classList.toggle('hidden', !room.audioBlocked);
}

room.on('connectionState', (state) => {
  showState(byId('state'), state);
  render();
});
for (const event of ['joined', 'participantJoined', 'participantLeft', 'audience', 'streamLive', 'streamOffline', 'autoplayBlocked'] as const) {
  room.on(event, render);
}
room.on('error', (e) => showError(byId('error'), e.message));
showRecording(room);

unblock.addEventListener('click', async () => {
  await room.resumeAudio();
  render();
});

const volume = byId<HTMLInputElement>('volume');
const readVolume = (): void => volume.setAttribute('aria-valuetext', `${Math.round(Number(volume.value) * 100)}%`);
readVolume();
volume.addEventListener('input', () => {
  room.volume = Number(volume.value);
  readVolume();
});

setInterval(() => {
  const stats = room.getStats();
  const stream = stats.streams[0];
  byId('latency').textContent = stream?.latencyMs === undefined ? '–' : `${stream.latencyMs.toFixed(0)} ms`;
  byId('buffer').textContent = stream === undefined ? '–' : `${stream.jitterBufferMs} ms`;
  byId('rtt').textContent = stats.rttMs === undefined ? '–' : `${stats.rttMs.toFixed(0)} ms`;
}, 500);

room.connect().then(render, (error: Error) => showError(byId('error'), error.message));
