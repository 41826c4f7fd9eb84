import { TypedEmitter } from '../events/TypedEmitter.js';
import { WsAudioError } from '../errors.js';
import { Microphone } from '../media/Microphone.js';
import { Player, type PlayedStream } from '../media/Player.js';
import { checkSupport, wasmEncoderWorks, type CodecPaths } from '../media/support.js';
import { ClientErrorCodes, CloseCodes } from '../protocol/codes.js';
import { SUBPROTOCOL } from '../protocol/constants.js';
import { FLAG_END_OF_STREAM } from '../protocol/constants.js';
import { decodeFrame, encodeFrame } from '../protocol/frame.js';
import { parseServerMessage, serializeClientMessage, type ClientMessage, type ParticipantInfo, type ServerMessage, type StreamInfo } from '../protocol/messages.js';
import { reconnectDelay } from './backoff.js';
import type { ConnectionState, RoomEvents, RoomOptions, RoomStats, StreamStats } from './types.js';

const SPEAKING_DBFS = -45;
const PING_INTERVAL_MS = 5000;
// Closes that say this client did something wrong: reconnecting would repeat it.
const FATAL_CLOSES = new Set<number>([CloseCodes.ProtocolError, CloseCodes.UnsupportedData, CloseCodes.InvalidPayload, CloseCodes.PolicyViolation, CloseCodes.MessageTooBig, CloseCodes.Normal, CloseCodes.Removed]);

/**
 * One participant in one WsAudio room: connects, joins, plays every other sender, optionally sends the
 * microphone, and after a lost connection reconnects with backoff and joins again.
 */
export class Room extends TypedEmitter<RoomEvents> {
  readonly #options: RoomOptions;
  readonly #participants = new Map<string, ParticipantInfo>();
  readonly #live = new Map<number, StreamInfo>();
  // Recordings of the room running now, by id: the server tells each member of every one, also right after a join.
  readonly #recordings = new Set<string>();
  #socket: WebSocket | undefined;
  #state: ConnectionState = 'idle';
  #context: AudioContext | undefined;
  #player: Player | undefined;
  #microphone: Microphone | undefined;
  #participantId: string | undefined;
  #streamId: number | undefined;
  #sequence = 0;
  #framesSent = 0;
  #muted = false;
  #audience = 0;
  #rttMs: number | undefined;
  #serverDropped = 0;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #attempt = 0;
  #closing = false;
  #joinWaiter: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #urlIndex = 0;
  // Volumes belong to the person: by participant id, and by name for someone who leaves and joins again.
  readonly #volumes = new Map<string, number>();
  readonly #volumesByName = new Map<string, number>();
  #masterVolume = 1;
  #paths: CodecPaths | undefined;
  #microphoneDevice: string | undefined;

  constructor(options: RoomOptions) {
    super();
    this.#options = options;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get participantId(): string | undefined {
    return this.#participantId;
  }

  /**
   * The listed members of the room. In a large room only senders and the first listeners are listed; the other
   * listeners are its {@link audience}.
   */
  get participants(): ReadonlyMap<string, ParticipantInfo> {
    return this.#participants;
  }

  /** Listeners in the room's audience, counted but not in {@link participants} (this page included if it is one). */
  get audience(): number {
    return this.#audience;
  }

  /** Every listener in the room: the listed ones and the audience. */
  get listenerCount(): number {
    let listed = 0;
    for (const p of this.#participants.values()) if (p.role === 'listener') listed++;
    return listed + this.#audience;
  }

  /** True while the server records the room: a page should show it, as nobody is to be recorded without knowing. */
  get recorded(): boolean {
    return this.#recordings.size > 0;
  }

  get liveStreams(): ReadonlyMap<number, StreamInfo> {
    return this.#live;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** Checks browser support, opens audio, connects and joins. Rejects with a {@link WsAudioError}. */
  async connect(): Promise<void> {
    if (this.#state !== 'idle') throw new Error('connect() may be called once');
    const role = this.#options.role ?? 'speaker';
    // Made before anything is awaited, while a click that called connect() still counts as one: some browsers let
    // audio start only from within the gesture itself.
    const ownContext = this.#options.audioContext === undefined && typeof AudioContext !== 'undefined';
    this.#context = this.#options.audioContext ?? (ownContext ? new AudioContext({ sampleRate: 48000, latencyHint: 'interactive' }) : undefined);
    try {
      this.#paths = await checkSupport();
    } catch (error) {
      if (ownContext) await this.#context?.close();
      this.#context = undefined;
      throw error;
    }
    if (this.#context === undefined) throw new WsAudioError(ClientErrorCodes.Unsupported, 'This browser lacks Web Audio (AudioContext).');
    // The codec a sender announces on joining must be the one it sends: the WebAssembly encoder is tried now.
    if (role !== 'listener' && this.#paths.encode === 'wasm' && !(await wasmEncoderWorks(this.#options.bitrate ?? 32000))) this.#paths.encode = 'pcm16';
    this.#keepAudioRunning(role);
    if (role !== 'broadcaster') {
      this.#player = new Player(this.#context, (s) => this.#onPlayerReport(s), this.#paths);
      await this.#player.start();
    }
    await this.#tryResume();
    this.#setState('connecting');
    try {
      await this.#open();
    } catch (error) {
      this.#setState('closed');
      throw error;
    }
  }

  /** Starts sending the microphone (speakers and broadcasters). */
  async startMicrophone(): Promise<void> {
    if (this.#context === undefined) throw new Error('connect() first');
    if (this.#microphone !== undefined) return;
    // Called from a click, as browsers require: capture runs in the audio context, which the autoplay policy
    // keeps suspended until a gesture.
    await this.#tryResume();
    const microphone = new Microphone(
      this.#context,
      (packet) => this.#sendPacket(packet.payload, packet.timestamp, packet.captureTimeMicros, false),
      (level) => this.emit('speaking', { participantId: this.#participantId ?? '', level, speaking: !this.#muted && level > SPEAKING_DBFS }),
      this.#paths?.encode,
    );
    microphone.muted = this.#muted;
    const device = this.#microphoneDevice === undefined ? {} : { deviceId: this.#microphoneDevice };
    await microphone.start({ ...(this.#options.microphone ?? {}), ...device }, this.#options.bitrate ?? 32000);
    this.#microphone = microphone;
  }

  /**
   * Sends from another microphone (a `deviceId` from {@link Room.audioDevices}) without leaving or restarting the
   * stream; later {@link startMicrophone} calls use it too.
   */
  async setMicrophone(deviceId: string | undefined): Promise<void> {
    this.#microphoneDevice = deviceId;
    await this.#microphone?.switchDevice({ ...(this.#options.microphone ?? {}), ...(deviceId === undefined ? {} : { deviceId }) });
  }

  /** The microphone in use, while one is. */
  get microphoneDevice(): string | undefined {
    return this.#microphone?.deviceId;
  }

  /** True where the browser lets a page choose its audio output (`AudioContext.setSinkId`). */
  static get canChooseOutput(): boolean {
    return typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype;
  }

  /** Plays the room on another output device (a `deviceId` of kind `audiooutput`; '' is the system default). */
  async setOutputDevice(deviceId: string): Promise<void> {
    const context = this.#context as (AudioContext & { setSinkId?: (id: string) => Promise<void> }) | undefined;
    if (context?.setSinkId === undefined) throw new WsAudioError(ClientErrorCodes.Unsupported, 'This browser does not let a page choose where audio plays.');
    await context.setSinkId(deviceId);
  }

  /** The microphones and outputs of this device; their names are known once the microphone was allowed. */
  static async audioDevices(): Promise<{ inputs: MediaDeviceInfo[]; outputs: MediaDeviceInfo[] }> {
    // Pages on plain http have no mediaDevices at all.
    const devices = (await navigator.mediaDevices?.enumerateDevices()) ?? [];
    return { inputs: devices.filter((d) => d.kind === 'audioinput'), outputs: devices.filter((d) => d.kind === 'audiooutput') };
  }

  /** Stops the microphone and tells the room the stream ended (listeners see it go offline at once). */
  async stopMicrophone(): Promise<void> {
    const microphone = this.#microphone;
    if (microphone === undefined) return;
    this.#microphone = undefined;
    await microphone.stop();
    this.#sendPacket(new Uint8Array(0), microphone.nextTimestamp, 0, true);
  }

  /** Mutes without renegotiating anything: the microphone keeps running, nothing is sent, the room is told. */
  setMuted(muted: boolean): void {
    this.#muted = muted;
    if (this.#microphone !== undefined) this.#microphone.muted = muted;
    this.#send({ type: 'mute', muted });
  }

  /** Admins (token grant `admin`): mute, unmute or remove a participant. Refusals arrive as `error` events. */
  moderate(participantId: string, action: 'mute' | 'unmute' | 'remove'): void {
    this.#send({ type: 'moderate', action, participantId });
  }

  /**
   * Sets a participant's playback volume, 0 (silent) to 2 (double); 1 is unchanged. It stays with the person: across
   * their stream stopping and starting again, this page reconnecting, and their leaving and joining again under the
   * same name.
   */
  setVolume(participantId: string, volume: number): void {
    const value = Math.max(0, Math.min(2, volume));
    this.#volumes.set(participantId, value);
    const name = this.#participants.get(participantId)?.name;
    if (name) this.#volumesByName.set(name, value);
    this.#applyVolume(participantId);
  }

  /** A participant's playback volume as last set (1 unless changed). */
  getVolume(participantId: string): number {
    return this.#volumes.get(participantId) ?? 1;
  }

  /** This page's volume for everything it plays, 0 to 2, on top of each participant's. */
  get volume(): number {
    return this.#masterVolume;
  }

  set volume(value: number) {
    this.#masterVolume = Math.max(0, Math.min(2, value));
    for (const stream of this.#live.values()) this.#applyVolume(stream.participantId);
  }

  /** Resumes audio after the browser blocked autoplay; call it from a user gesture such as a click. */
  async resumeAudio(): Promise<void> {
    await this.#context?.resume();
  }

  /** True while the browser keeps this page's audio suspended. */
  get audioBlocked(): boolean {
    return this.#context?.state === 'suspended';
  }

  getStats(): RoomStats {
    return {
      state: this.#state,
      decodePath: this.#player?.decodePath ?? this.#paths?.decode,
      encodePath: this.#paths?.encode,
      playbackPath: this.#paths?.playback,
      rttMs: this.#rttMs,
      serverDropped: this.#serverDropped,
      framesSent: this.#framesSent,
      streams: [...(this.#player?.streams.values() ?? [])].map(toStreamStats),
    };
  }

  /** Starts keeping what this page plays (the mix of every remote stream). */
  startRecording(): void {
    this.#player?.startRecording();
  }

  /** Returns what was played since {@link startRecording}, 48 kHz mono. */
  stopRecording(): Promise<Float32Array> {
    return this.#player?.stopRecording() ?? Promise.resolve(new Float32Array(0));
  }

  /** Leaves the room, stops the microphone and closes the connection. */
  async close(): Promise<void> {
    this.#closing = true;
    await this.stopMicrophone();
    clearInterval(this.#pingTimer);
    this.#socket?.close(CloseCodes.Normal, 'bye');
    this.#player?.stop();
    if (this.#options.audioContext === undefined) await this.#context?.close();
    this.#setState('closed');
  }

  #open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.#currentUrl, SUBPROTOCOL);
      socket.binaryType = 'arraybuffer';
      this.#socket = socket;
      this.#joinWaiter = { resolve, reject };
      socket.onopen = () => {
        this.#send({
          type: 'join',
          room: this.#options.room,
          role: this.#options.role ?? 'speaker',
          name: this.#options.name,
          token: this.#options.token,
          format: (this.#options.role ?? 'speaker') === 'listener' ? undefined : { codec: this.#sendCodec, sampleRate: 48000, channels: 1 },
        });
      };
      socket.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
        if (typeof event.data === 'string') this.#onControl(parseServerMessage(event.data));
        else this.#onAudio(new Uint8Array(event.data));
      };
      socket.onclose = (event) => this.#onClose(socket, event.code, event.reason);
    });
  }

  #onControl(message: ServerMessage | undefined): void {
    switch (message?.type) {
      case 'joined': {
        this.#participantId = message.participantId;
        this.#streamId = message.streamId;
        this.#participants.clear();
        for (const p of message.participants) this.#known(p);
        this.#audience = message.audience ?? 0;
        this.#live.clear();
        for (const s of message.streams) this.#streamLive(s);
        this.#setRecordings([]);
        this.#attempt = 0;
        this.#setState('connected');
        this.#startPinging();
        this.#joinWaiter?.resolve();
        this.#joinWaiter = undefined;
        this.emit('joined', { participantId: message.participantId, streamId: message.streamId });
        break;
      }
      case 'participant-joined':
        this.#known(message.participant);
        this.emit('participantJoined', message.participant);
        break;
      case 'participant-left':
        this.#participants.delete(message.participantId);
        this.emit('participantLeft', { participantId: message.participantId, reason: message.reason });
        break;
      case 'participant-muted': {
        const p = this.#participants.get(message.participantId);
        if (p !== undefined) p.muted = message.muted;
        this.emit('participantMuted', { participantId: message.participantId, muted: message.muted, byAdmin: message.byAdmin === true });
        break;
      }
      case 'stream-started':
        this.#streamLive({ streamId: message.streamId, participantId: message.participantId, format: message.format });
        break;
      case 'stream-stopped':
        this.#live.delete(message.streamId);
        this.#player?.endStream(message.streamId);
        this.emit('streamOffline', { streamId: message.streamId, participantId: message.participantId, reason: message.reason });
        break;
      case 'audience':
        this.#audience = message.count;
        this.emit('audience', { count: message.count });
        break;
      case 'recording':
        this.#setRecordings(message.active ? [...this.#recordings, message.id] : [...this.#recordings].filter((id) => id !== message.id));
        break;
      case 'pong':
        this.#rttMs = performance.now() - message.t;
        this.#serverDropped = message.dropped;
        break;
      case 'error':
        if (this.#joinWaiter !== undefined) {
          this.#joinWaiter.reject(new WsAudioError(message.code, message.message));
          this.#joinWaiter = undefined;
          this.#closing = true;
          this.#socket?.close(CloseCodes.Normal);
        }
        this.emit('error', { code: message.code, message: message.message });
        break;
      default:
        break;
    }
  }

  #streamLive(info: StreamInfo): void {
    this.#live.set(info.streamId, info);
    if (info.participantId !== this.#participantId) {
      this.#player?.addStream(info);
      this.#applyVolume(info.participantId);
    }
    this.emit('streamLive', info);
  }

  // What this page sends: Opus (WebCodecs or WebAssembly), or PCM 16 where neither can encode it.
  get #sendCodec(): 'opus' | 'pcm16' {
    return this.#paths?.encode === 'pcm16' ? 'pcm16' : 'opus';
  }

  #known(participant: ParticipantInfo): void {
    this.#participants.set(participant.id, participant);
    const byName = participant.name ? this.#volumesByName.get(participant.name) : undefined;
    if (!this.#volumes.has(participant.id) && byName !== undefined) this.#volumes.set(participant.id, byName);
  }

  #applyVolume(participantId: string): void {
    const gain = (this.#volumes.get(participantId) ?? 1) * this.#masterVolume;
    for (const stream of this.#live.values()) {
      if (stream.participantId === participantId) this.#player?.setVolume(stream.streamId, gain);
    }
  }

  #onAudio(bytes: Uint8Array): void {
    const frame = decodeFrame(bytes);
    if (typeof frame !== 'string') this.#player?.frame(frame.header, frame.payload);
  }

  // Raises 'recording' when whether the room is recorded changes, not for each recording.
  #setRecordings(ids: string[]): void {
    const was = this.recorded;
    this.#recordings.clear();
    for (const id of ids) this.#recordings.add(id);
    if (this.recorded !== was) this.emit('recording', { recorded: this.recorded });
  }

  #onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    clearInterval(this.#pingTimer);
    for (const stream of this.#live.values()) {
      this.#player?.endStream(stream.streamId);
      this.emit('streamOffline', { streamId: stream.streamId, participantId: stream.participantId, reason: 'disconnected' });
    }
    this.#live.clear();
    this.#setRecordings([]);
    if (this.#joinWaiter !== undefined && this.#state === 'connecting') {
      const why = code === 1006 ? 'the server could not be reached or refused the connection' : 'the connection closed';
      this.#joinWaiter.reject(new WsAudioError(ClientErrorCodes.ConnectionFailed, `could not join ${this.#options.room} at ${this.#currentUrl}: ${why} (${closeText(code, reason)})`));
      this.#joinWaiter = undefined;
      return;
    }
    if (this.#closing || this.#options.reconnect === false || FATAL_CLOSES.has(code)) {
      if (!this.#closing) this.emit('error', { code: reason || ClientErrorCodes.ConnectionFailed, message: `connection closed (${closeText(code, reason)})` });
      this.#setState('closed');
      return;
    }
    this.#setState('reconnecting');
    this.#reconnect();
  }

  get #currentUrl(): string {
    const urls = Array.isArray(this.#options.url) ? this.#options.url : [this.#options.url];
    return urls[this.#urlIndex % urls.length] ?? '';
  }

  #reconnect(): void {
    // The node that failed is the likeliest to fail again: move on to the next one in the list.
    this.#urlIndex++;
    const delay = reconnectDelay(this.#attempt++, this.#options.reconnectDelayMs ?? 250, this.#options.maxReconnectDelayMs ?? 10_000);
    setTimeout(() => {
      if (this.#closing) return;
      this.#open().catch(() => {
        // #onClose of the failed attempt schedules the next one.
      });
    }, delay);
  }

  #startPinging(): void {
    clearInterval(this.#pingTimer);
    const ping = () => this.#send({ type: 'ping', t: performance.now() });
    ping();
    this.#pingTimer = setInterval(ping, PING_INTERVAL_MS);
  }

  #sendPacket(payload: Uint8Array, timestamp: number, captureTimeMicros: number, endOfStream: boolean): void {
    const socket = this.#socket;
    if (socket?.readyState !== WebSocket.OPEN || this.#streamId === undefined || this.#state !== 'connected') return;
    const flags = endOfStream ? FLAG_END_OF_STREAM : 0;
    socket.send(encodeFrame({ codec: this.#sendCodec, flags, streamId: this.#streamId, sequence: this.#sequence, timestamp, captureTimeMicros }, payload));
    this.#sequence = (this.#sequence + 1) >>> 0;
    this.#framesSent++;
  }

  #send(message: ClientMessage): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(serializeClientMessage(message));
  }

  #onPlayerReport(stream: PlayedStream): void {
    const level = stream.report?.level ?? -120;
    this.emit('speaking', { participantId: stream.info.participantId, level, speaking: level > SPEAKING_DBFS });
  }

  // Phones suspend or interrupt audio for a call, a lock screen or another app; when the page is visible again the
  // one AudioContext is resumed, never replaced. Listeners' audio is playback to the platform (iOS keeps it
  // playing with the ringer switch off); senders' is a call.
  #keepAudioRunning(role: string): void {
    const session = (navigator as { audioSession?: { type: string } }).audioSession;
    if (session !== undefined) session.type = role === 'listener' ? 'playback' : 'play-and-record';
    const context = this.#context;
    const resume = (): void => {
      if (this.#closing || document.visibilityState !== 'visible' || context?.state === 'running' || context?.state === 'closed') return;
      void this.#tryResume();
    };
    document.addEventListener('visibilitychange', resume);
    context?.addEventListener('statechange', resume);
  }

  async #tryResume(): Promise<void> {
    if (this.#context?.state !== 'suspended') return;
    // resume() rejects while the system holds audio (a phone call on iOS); the next statechange or return tries again.
    await Promise.race([this.#context.resume().catch(() => undefined), new Promise((r) => setTimeout(r, 300))]);
    if (this.#context.state === 'suspended') {
      this.emit('autoplayBlocked', undefined);
      this.#context.addEventListener('statechange', () => undefined, { once: true });
    }
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('connectionState', state);
  }
}

/** "1008 token-expired", or just "1006" when the close came without a reason. */
function closeText(code: number, reason: string): string {
  return reason === '' ? String(code) : `${code} ${reason}`;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function toStreamStats(s: PlayedStream): StreamStats {
  const r = s.report;
  return {
    streamId: s.info.streamId,
    participantId: s.info.participantId,
    received: r?.received ?? 0,
    jitterBufferMs: (r?.buffered ?? 0) * 20,
    targetDelayMs: (r?.target ?? 0) * 20,
    underruns: r?.underruns ?? 0,
    concealed: r?.concealed ?? 0,
    late: r?.late ?? 0,
    latencyMs: median(s.latencies),
    latencySamples: [...s.latencies],
    liveToFirstAudioMs: s.firstAudioAt === undefined ? undefined : s.firstAudioAt - s.liveAt,
    level: r?.level ?? -120,
  };
}
