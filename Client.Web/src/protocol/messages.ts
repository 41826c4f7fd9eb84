import type { Codec } from './frame.js';

/** What a participant may do (docs/protocol.md §2). */
export type Role = 'speaker' | 'listener' | 'broadcaster' | 'tap';

/** What a tap receives: each speaker apart or the room's mix (docs/outputs.md). */
export type TapMode = 'per-speaker' | 'mix';

/** A stream's audio format as declared in `join` and announced with the stream. */
export interface AudioFormat {
  codec: Codec;
  sampleRate: number;
  channels: number;
}

export interface ParticipantInfo {
  id: string;
  name: string;
  role: Role;
  muted: boolean;
  streamId?: number;
}

export interface StreamInfo {
  streamId: number;
  participantId: string;
  format: AudioFormat;
}

export interface JoinMessage { type: 'join'; room: string; role?: Role; name?: string; token?: string; format?: AudioFormat; mode?: TapMode }
export interface LeaveMessage { type: 'leave' }
export interface MuteMessage { type: 'mute'; muted: boolean }
export interface PingMessage { type: 'ping'; t: number }
export interface ModerateMessage { type: 'moderate'; action: 'mute' | 'unmute' | 'remove'; participantId: string }
export interface RecordMessage { type: 'record'; action: 'start' | 'stop' }

export interface JoinedMessage {
  type: 'joined';
  room: string;
  participantId: string;
  streamId?: number;
  /** Everyone listed in the room, this client included unless it is in the audience. */
  participants: ParticipantInfo[];
  streams: StreamInfo[];
  /** Listeners in the room's audience (not in `participants`); absent while there are none. */
  audience?: number;
}
export interface LeftMessage { type: 'left'; room: string }
export interface ParticipantJoinedMessage { type: 'participant-joined'; participant: ParticipantInfo }
export interface ParticipantLeftMessage { type: 'participant-left'; participantId: string; reason: 'left' | 'disconnected' | 'removed' }
export interface ParticipantMutedMessage { type: 'participant-muted'; participantId: string; muted: boolean; byAdmin?: boolean }
/** `name` is given to taps only. */
export interface StreamStartedMessage { type: 'stream-started'; streamId: number; participantId: string; name?: string; format: AudioFormat }
export interface StreamStoppedMessage {
  type: 'stream-stopped';
  streamId: number;
  participantId: string;
  reason: 'end-of-stream' | 'idle' | 'left' | 'disconnected';
}
/** The number of listeners in the room's audience changed (docs/protocol.md, "Large rooms"). */
export interface AudienceMessage { type: 'audience'; count: number }
/** The room's recording started or stopped: every member is told. */
export interface RecordingMessage { type: 'recording'; active: boolean; id: string }
export interface PongMessage { type: 'pong'; t: number; serverTime: number; dropped: number }
export interface ErrorMessage { type: 'error'; code: string; message: string }

export type ClientMessage = JoinMessage | LeaveMessage | MuteMessage | PingMessage | ModerateMessage | RecordMessage;

export type ServerMessage =
  | JoinedMessage
  | LeftMessage
  | ParticipantJoinedMessage
  | ParticipantLeftMessage
  | ParticipantMutedMessage
  | StreamStartedMessage
  | StreamStoppedMessage
  | AudienceMessage
  | RecordingMessage
  | PongMessage
  | ErrorMessage;

const SERVER_TYPES = new Set<string>([
  'joined', 'left', 'participant-joined', 'participant-left', 'participant-muted',
  'stream-started', 'stream-stopped', 'audience', 'recording', 'pong', 'error',
]);

/** Parses a server message; returns undefined for anything that is not one (later versions may add types). */
export function parseServerMessage(text: string): ServerMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && SERVER_TYPES.has(type) ? (value as ServerMessage) : undefined;
}

/** Serializes a client message with `type` first, leaving out absent optional fields. */
export function serializeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message, (_key, value: unknown) => (value === undefined ? undefined : value));
}
