import { Room, type ParticipantInfo } from 'wsaudio';
import { byId, microphoneProblem, colourFor, initials, meterPercent, roomFromPath, serverUrl, showError, showRecording, showState, tokenFromUrl } from './common.js';

const form = byId<HTMLFormElement>('join-form');
const nameInput = byId<HTMLInputElement>('name');
const roomInput = byId<HTMLInputElement>('room');
nameInput.value = localStorage.getItem('wsaudio.name') ?? '';
roomInput.value = new URLSearchParams(location.search).get('room') ?? localStorage.getItem('wsaudio.room') ?? roomFromPath();

let room: Room | undefined;
const speaking = new Set<string>();

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(byId('lobby-error'), undefined);
  localStorage.setItem('wsaudio.name', nameInput.value);
  localStorage.setItem('wsaudio.room', roomInput.value);
  byId<HTMLButtonElement>('join').disabled = true;
  try {
    await join(nameInput.value.trim(), roomInput.value.trim());
  } catch (error) {
    showError(byId('lobby-error'), (error as Error).message);
    await room?.close();
    room = undefined;
  } finally {
    byId<HTMLButtonElement>('join').disabled = false;
  }
});

async function join(name: string, roomName: string, role: 'speaker' | 'listener' = 'speaker'): Promise<void> {
  const current = new Room({ url: serverUrl(), room: roomName, name, token: tokenFromUrl(), role });
  room = current;
  (window as unknown as { wsaudioRoom: Room }).wsaudioRoom = current;
  current.on('connectionState', (state) => showState(byId('state'), state));
  showRecording(current);
  for (const e of ['joined', 'participantJoined', 'participantLeft', 'participantMuted', 'audience'] as const) current.on(e, render);
  current.on('speaking', (s) => {
    if (s.participantId === current.participantId) showMyLevel(s.level);
    const changed = s.speaking ? !speaking.has(s.participantId) : speaking.has(s.participantId);
    if (s.speaking) speaking.add(s.participantId);
    else speaking.delete(s.participantId);
    if (changed) document.querySelector(`[data-id="${s.participantId}"]`)?.classList.toggle('speaking', s.speaking);
  });
  current.on('autoplayBlocked', () => byId('unblock').classList.remove('hidden'));
  current.on('error', (e) => showError(byId('call-error'), e.message));
  await current.connect();
  byId('room-title').textContent = roomName;
  byId('lobby').classList.add('hidden');
  byId('call').classList.remove('hidden');
  history.replaceState(null, '', `/?room=${encodeURIComponent(roomName)}${tokenFromUrl() === undefined ? '' : `&token=${encodeURIComponent(tokenFromUrl() ?? '')}`}`);
  render();
  byId('mute').classList.toggle('hidden', role === 'listener');
  byId('ptt-option').classList.toggle('hidden', role === 'listener');
  // Keyboard and screen-reader users land in the call, not on the hidden form.
  byId('room-title').focus();
  if (role === 'speaker') await startMicrophone(current);
}

// Without a microphone a person is still in the call and hears everyone; the page says why and what to do.
async function startMicrophone(current: Room): Promise<void> {
  try {
    await current.startMicrophone();
    byId('my-level').classList.remove('hidden');
    void listDevices(current);
    showError(byId('call-error'), undefined);
    byId('mic-choices').classList.add('hidden');
    byId<HTMLButtonElement>('mute').disabled = false;
  } catch (error) {
    showError(byId('call-error'), `${microphoneProblem(error)} Meanwhile you hear everyone, and nobody hears you; or stay as a listener.`);
    byId('mic-choices').classList.remove('hidden');
    byId<HTMLButtonElement>('mute').disabled = true;
  }
}

byId('mic-retry').addEventListener('click', () => {
  if (room !== undefined) void startMicrophone(room);
});

byId('listen-only').addEventListener('click', async () => {
  const current = room;
  if (current === undefined) return;
  const roomName = roomInput.value.trim();
  await current.close();
  byId('mic-choices').classList.add('hidden');
  showError(byId('call-error'), undefined);
  try {
    await join(nameInput.value.trim(), roomName, 'listener');
  } catch (error) {
    showError(byId('call-error'), (error as Error).message);
  }
});

function render(): void {
  if (room === undefined) return;
  const list = byId('participants');
  const people = [...room.participants.values()].sort((a, b) => (a.id === room?.participantId ? -1 : b.id === room?.participantId ? 1 : a.name.localeCompare(b.name)));
  list.replaceChildren(...people.map((p) => row(p, p.id === room?.participantId)));
  const audience = room.audience > 0 ? ` and ${room.audience} listening` : '';
  byId('count').textContent = `${people.length} ${people.length === 1 ? 'participant' : 'participants'}${audience}`;
}

function row(p: ParticipantInfo, self: boolean): HTMLLIElement {
  const li = document.createElement('li');
  li.className = `participant${speaking.has(p.id) ? ' speaking' : ''}`;
  li.dataset.id = p.id;
  const avatar = document.createElement('div');
  avatar.className = 'avatar';
  avatar.style.background = colourFor(p.id);
  avatar.textContent = initials(p.name || '?');
  const who = document.createElement('div');
  who.className = 'who';
  who.innerHTML = '<div class="name"></div><div class="role"></div>';
  (who.firstElementChild as HTMLElement).textContent = `${p.name || 'Guest'}${self ? ' (you)' : ''}`;
  (who.lastElementChild as HTMLElement).textContent = p.muted ? 'muted' : p.role;
  li.append(avatar, who);
  if (!self && p.role !== 'listener') {
    const volume = document.createElement('input');
    volume.type = 'range';
    volume.min = '0';
    volume.max = '2';
    volume.step = '0.05';
    volume.value = String(room?.getVolume(p.id) ?? 1);
    volume.title = `Volume of ${p.name || 'Guest'}`;
    volume.setAttribute('aria-label', volume.title);
    const readOut = (): void => volume.setAttribute('aria-valuetext', `${Math.round(Number(volume.value) * 100)}%`);
    readOut();
    volume.addEventListener('input', () => {
      room?.setVolume(p.id, Number(volume.value));
      readOut();
    });
    li.append(volume);
  }
  return li;
}

function showMyLevel(level: number): void {
  byId('my-meter-bar').style.width = meterPercent(level);
  const meter = byId('my-meter');
  const rounded = Math.round(Math.max(-60, Math.min(0, level)));
  meter.setAttribute('aria-valuenow', String(rounded));
  meter.setAttribute('aria-valuetext', rounded <= -60 ? 'silent' : `${rounded} dB`);
}

// The devices' names are known once the microphone was allowed; a device plugged in later shows up too.
async function listDevices(current: Room): Promise<void> {
  const { inputs, outputs } = await Room.audioDevices();
  const fill = (select: HTMLSelectElement, devices: MediaDeviceInfo[], chosen: string | undefined, kind: string): void => {
    select.replaceChildren(...devices.map((d, i) => new Option(d.label || `${kind} ${i + 1}`, d.deviceId, false, d.deviceId === chosen)));
  };
  fill(byId<HTMLSelectElement>('mic-select'), inputs, current.microphoneDevice, 'Microphone');
  fill(byId<HTMLSelectElement>('speaker-select'), outputs, undefined, 'Speaker');
  byId('speaker-choice').classList.toggle('hidden', !Room.canChooseOutput || outputs.length === 0);
}

navigator.mediaDevices?.addEventListener('devicechange', () => {
  if (room !== undefined) void listDevices(room);
});

byId<HTMLSelectElement>('mic-select').addEventListener('change', async (event) => {
  try {
    await room?.setMicrophone((event.target as HTMLSelectElement).value);
    showError(byId('call-error'), undefined);
  } catch (error) {
    showError(byId('call-error'), microphoneProblem(error));
  }
});

byId<HTMLSelectElement>('speaker-select').addEventListener('change', async (event) => {
  try {
    await room?.setOutputDevice((event.target as HTMLSelectElement).value);
  } catch (error) {
    showError(byId('call-error'), `That speaker could not be used: ${(error as Error).message}`);
  }
});

function setMuted(muted: boolean): void {
  if (room === undefined || room.muted === muted) return;
  room.setMuted(muted);
  byId('mute').textContent = muted ? 'Unmute' : 'Mute';
}

byId('mute').addEventListener('click', () => setMuted(!(room?.muted ?? false)));

// Push to talk: muted unless the space bar is held (anywhere but in a text field); leaving the window lets go.
const ptt = byId<HTMLInputElement>('ptt');
ptt.addEventListener('change', () => {
  setMuted(ptt.checked);
  byId<HTMLButtonElement>('mute').disabled = ptt.checked;
});
function talkKey(event: KeyboardEvent): boolean {
  const typing = event.target instanceof HTMLInputElement && event.target.type === 'text';
  return ptt.checked && event.code === 'Space' && !typing;
}
document.addEventListener('keydown', (event) => {
  if (!talkKey(event)) return;
  event.preventDefault();
  if (!event.repeat) setMuted(false);
});
document.addEventListener('keyup', (event) => {
  if (!talkKey(event)) return;
  event.preventDefault();
  setMuted(true);
});
window.addEventListener('blur', () => {
  if (ptt.checked) setMuted(true);
});

byId('leave').addEventListener('click', async () => {
  await room?.close();
  room = undefined;
  byId('call').classList.add('hidden');
  byId('lobby').classList.remove('hidden');
  showState(byId('state'), 'idle');
});

byId('unblock').addEventListener('click', async () => {
  await room?.resumeAudio();
  byId('unblock').classList.add('hidden');
});

setInterval(() => {
  if (room === undefined) return;
  const stats = room.getStats();
  byId('rtt').textContent = stats.rttMs === undefined ? '–' : `${stats.rttMs.toFixed(0)} ms`;
  const latencies = stats.streams.map((s) => s.latencyMs).filter((l): l is number => l !== undefined);
  byId('latency').textContent = latencies.length === 0 ? '–' : `${Math.max(...latencies).toFixed(0)} ms`;
  const buffers = stats.streams.map((s) => s.jitterBufferMs);
  byId('buffer').textContent = buffers.length === 0 ? '–' : `${Math.max(...buffers)} ms`;
}, 500);
