import type { MicrophoneOptions } from '../media/Microphone.js';
import type { ParticipantInfo, Role, StreamInfo } from '../protocol/messages.js';

/** Where a {@link Room} is in its life. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface RoomOptions {
  /**
   * The server's WebSocket endpoint, e.g. `wss://audio.example.com/ws`; or several nodes of one cluster, tried in
   * turn when the connection is lost.
   */
  url: string | string[];
  room: string;
  /** Default `speaker`. */
  role?: Role;
  name?: string;
  token?: string;
  /** Opus bit rate for the microphone, bit/s. Default 32000. */
  bitrate?: number;
  microphone?: MicrophoneOptions;
  /** Reconnect and rejoin after a lost connection. Default true. */
  reconnect?: boolean;
  /** First reconnect delay in ms, doubling to `maxReconnectDelayMs`. Default 250. */
  reconnectDelayMs?: number;
  /** Default 10000. */
  maxReconnectDelayMs?: number;
  /** Use this AudioContext (it must run at 48 kHz) instead of creating one. */
  audioContext?: AudioContext;
}

/** Statistics of one remote stream as this page plays it. */
export interface StreamStats {
  streamId: number;
  participantId: string;
  /** Frames received and decoded. */
  received: number;
  /** Audio waiting in the jitter buffer, ms. */
  jitterBufferMs: number;
  /** The delay the jitter buffer currently aims for, ms. */
  targetDelayMs: number;
  underruns: number;
  concealed: number;
  late: number;
  /** Median capture → playout latency over recent frames, ms (sender and listener clocks must agree). */
  latencyMs: number | undefined;
  /** The latencies behind the median, oldest first. */
  latencySamples: number[];
  /** From the stream going live to its first sample leaving the player, ms. */
  liveToFirstAudioMs: number | undefined;
  /** RMS level, dBFS. */
  level: number;
}

export interface RoomStats {
  state: ConnectionState;
  /** How this page decodes Opus: WebCodecs, or the WebAssembly decoder where WebCodecs cannot (undefined before connect). */
  decodePath: 'webcodecs' | 'wasm' | undefined;
  /** How this page sends: Opus through WebCodecs or WebAssembly, or PCM 16 where neither can encode. */
  encodePath: 'webcodecs' | 'wasm' | 'pcm16' | undefined;
  /** Where the page mixes what it plays: an AudioWorklet, or its own thread where there is none (plain http). */
  playbackPath: 'worklet' | 'script-processor' | undefined;
  /** Last measured round trip to the server, ms. */
  rttMs: number | undefined;
  /** Audio frames the server dropped for this page because it fell behind. */
  serverDropped: number;
  framesSent: number;
  streams: StreamStats[];
}

export interface SpeakingEvent {
  participantId: string;
  /** RMS level, dBFS. */
  level: number;
  speaking: boolean;
}

/** The events of a {@link Room}, by name. */
export interface RoomEvents {
  connectionState: ConnectionState;
  joined: { participantId: string; streamId: number | undefined };
  participantJoined: ParticipantInfo;
  participantLeft: { participantId: string; reason: 'left' | 'disconnected' | 'removed' };
  /** The number of listeners in the room's audience changed (a few times per second at most). */
  audience: { count: number };
  participantMuted: { participantId: string; muted: boolean; byAdmin: boolean };
  /** The server started or stopped recording the room (`room.recorded`); also told right after joining. */
  recording: { recorded: boolean };
  streamLive: StreamInfo;
  streamOffline: { streamId: number; participantId: string; reason: string };
  /** Every 100 ms per audible participant, this page's own microphone included. */
  speaking: SpeakingEvent;
  error: { code: string; message: string };
  /** The browser keeps audio suspended until the user interacts; call `room.resumeAudio()` from a click. */
  autoplayBlocked: void;
}
