import type { ConnectionState, Room } from 'wsaudio';

/** The WebSocket endpoint of the server that served this page. */
export function serverUrl(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

/** An access token handed to the page in its URL (`?token=…`), for servers that require one. */
export function tokenFromUrl(): string | undefined {
  return new URLSearchParams(location.search).get('token') ?? undefined;
}

/** The room named in the path, e.g. `radio` in `/listen/radio`. */
export function roomFromPath(): string {
  return decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing`);
  return element as T;
}

const STATE_TEXT: Record<ConnectionState, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

/**
 * Shows the connection state in its pill and, while the connection is lost, in a banner at the top of the page that
 * screen readers announce: until the page is connected again, what it shows of the room may be out of date.
 */
export function showState(element: HTMLElement, state: ConnectionState): void {
  element.className = `pill ${state}`;
  element.textContent = STATE_TEXT[state];
  let banner = document.getElementById('connection-banner');
  if (banner === null) {
    banner = document.createElement('div');
    banner.id = 'connection-banner';
    banner.className = 'notice banner hidden';
    banner.setAttribute('role', 'status');
    document.querySelector('main')?.prepend(banner);
  }
  const lost = state === 'reconnecting';
  banner.textContent = lost ? 'The connection to the server is lost. Reconnecting… Until it is back, what this page shows may be out of date.' : '';
  banner.classList.toggle('hidden', !lost);
  document.body.classList.toggle('offline', lost);
}

/** Width of a level meter bar for a level in dBFS (−60 dBFS empty, 0 full). */
export function meterPercent(dbfs: number): string {
  return `${Math.max(0, Math.min(100, ((dbfs + 60) / 60) * 100)).toFixed(0)}%`;
}

/** What went wrong with the microphone, and what the person can do about it. */
export function microphoneProblem(error: unknown): string {
  // The library's error carries the browser's as its cause.
  const cause = error instanceof Error && error.cause instanceof DOMException ? error.cause : error;
  const name = cause instanceof DOMException ? cause.name : '';
  // On plain http the library's own message says why and what to do.
  if (!window.isSecureContext && error instanceof Error) return error.message;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Your browser did not allow the microphone. To speak, allow it for this site (the microphone or lock icon in the address bar, or the site settings), then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect one (or choose one in your system settings), then try again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone could not be started: another application may be using it. Close it, then try again.';
    default:
      return `The microphone could not be started (${(error as Error)?.message ?? String(error)}).`;
  }
}

export function showError(element: HTMLElement, message: string | undefined): void {
  element.textContent = message ?? '';
  element.classList.toggle('hidden', message === undefined);
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

/** A stable colour per participant id. */
export function colourFor(id: string): string {
  let hash = 0;
  for (const c of id) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 55% 48%)`;
}

/**
 * Shows in the page's header, for as long as it lasts, that the server records the room: a person is not to be
 * recorded without seeing it.
 */
export function showRecording(room: Room): void {
  const pill = byId('recording');
  room.on('recording', ({ recorded }) => pill.classList.toggle('hidden', !recorded));
}
