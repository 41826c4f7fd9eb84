import { Room } from 'wsaudio';
import { byId, microphoneProblem, meterPercent, roomFromPath, serverUrl, showError, showRecording, showState, tokenFromUrl } from './common.js';

const roomName = roomFromPath();
byId('room-title').textContent = roomName;
document.title = `Broadcast ${roomName} · WsAudio`;
byId<HTMLAnchorElement>('listen-link').href = `/listen/${encodeURIComponent(roomName)}`;

const processing = byId<HTMLInputElement>('processing');
const room = new Room({
  url: serverUrl(),
  room: roomName,
  role: 'broadcaster',
  name: 'Broadcaster',
  token: tokenFromUrl(),
  // Read when the microphone starts, so the checkbox applies to the next broadcast.
  get microphone() {
    return { echoCancellation: processing.checked, noiseSuppression: processing.checked, autoGainControl: processing.checked };
  },
});
(window as unknown as { wsaudioRoom: Room }).wsaudioRoom = room;
const toggle = byId<HTMLButtonElement>('toggle');
const badge = byId('badge');
let onAirSince: number | undefined;

function renderListeners(): void {
  const listeners = room.listenerCount;
  byId('listeners').textContent = `${listeners} ${listeners === 1 ? 'listener' : 'listeners'}`;
}

function renderAir(): void {
  const live = room.participantId !== undefined && [...room.liveStreams.values()].some((s) => s.participantId === room.participantId);
  // Without a connection nobody hears the broadcast, whatever the microphone does: the page does not claim otherwise.
  const lost = room.state === 'reconnecting' && onAirSince !== undefined;
  badge.textContent = lost ? 'NO CONNECTION' : live ? 'ON AIR' : 'OFF AIR';
  badge.classList.toggle('live', live && !lost);
  badge.classList.toggle('unknown', lost);
}

room.on('connectionState', (state) => {
  showState(byId('state'), state);
  // Stopping works whatever the connection: it ends the microphone here, and the server ends the stream when it
  // hears no more.
  toggle.disabled = state !== 'connected' && onAirSince === undefined;
  renderAir();
});
for (const event of ['joined', 'participantJoined', 'participantLeft', 'audience'] as const) room.on(event, renderListeners);
room.on('streamLive', renderAir);
room.on('streamOffline', renderAir);
room.on('speaking', (s) => {
  if (s.participantId !== room.participantId) return;
  byId('meter-bar').style.width = meterPercent(s.level);
  const meter = byId('meter');
  const level = Math.round(Math.max(-60, Math.min(0, s.level)));
  meter.setAttribute('aria-valuenow', String(level));
  meter.setAttribute('aria-valuetext', level <= -60 ? 'silent' : `${level} dB`);
});
room.on('error', (e) => showError(byId('error'), e.message));
showRecording(room);

toggle.addEventListener('click', async () => {
  toggle.disabled = true;
  showError(byId('error'), undefined);
  try {
    if (onAirSince === undefined) {
      await room.startMicrophone();
      processing.disabled = true;
      onAirSince = Date.now();
      toggle.textContent = 'Stop broadcasting';
      toggle.classList.add('danger');
    } else {
      await room.stopMicrophone();
      processing.disabled = false;
      onAirSince = undefined;
      toggle.textContent = 'Start broadcasting';
      toggle.classList.remove('danger');
      byId('meter-bar').style.width = '0%';
    }
  } catch (error) {
    showError(byId('error'), onAirSince === undefined ? microphoneProblem(error) : (error as Error).message);
  } finally {
    toggle.disabled = room.state !== 'connected' && onAirSince === undefined;
    renderAir();
  }
});

setInterval(() => {
  const seconds = onAirSince === undefined ? 0 : Math.floor((Date.now() - onAirSince) / 1000);
  byId('elapsed').textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  const stats = room.getStats();
  byId('sent').textContent = String(stats.framesSent);
  byId('rtt').textContent = stats.rttMs === undefined ? '–' : `${stats.rttMs.toFixed(0)} ms`;
}, 500);

room.connect().then(renderListeners, (error: Error) => showError(byId('error'), error.message));
