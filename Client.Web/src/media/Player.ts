import playbackSource from 'worklet:playback';
import type { AudioFrameHeader } from '../protocol/frame.js';
import type { StreamInfo } from '../protocol/messages.js';
import type { FromPlaybackWorklet, StreamReport, ToPlaybackWorklet } from '../worklets/messages.js';
import { ScriptPlayback } from '../playback/ScriptPlayback.js';
import { contextTimeToWallMs } from './clock.js';
import type { CodecPaths } from './support.js';
import { loadWasmOpus } from './wasmLoader.js';
import type { WasmOpusDecoder } from './wasmOpus.js';
import { loadWorklet } from './worklet.js';

/** What the player knows about one remote stream. */
export interface PlayedStream {
  info: StreamInfo;
  report: StreamReport | undefined;
  /** Capture → playout latencies of recent frames, ms. */
  latencies: number[];
  /** When the stream went live and when its first sample played, ms since the Unix epoch. */
  liveAt: number;
  firstAudioAt: number | undefined;
  decodeErrors: number;
}

const MAX_LATENCY_SAMPLES = 500;
// Frames kept while a stream's WebAssembly decoder starts (it is ready within milliseconds once loaded).
const MAX_WAITING = 25;

interface Playing {
  played: PlayedStream;
  decoder: AudioDecoder | undefined;
  /** True once the WebCodecs decoder gave audio: from then on its errors are the packets', not the browser's. */
  decodedAny: boolean;
  wasm: WasmOpusDecoder | undefined;
  waiting: [AudioFrameHeader, Uint8Array][] | undefined;
  pending: [number, number][];
}

/**
 * Plays remote streams: one decoder per stream (WebCodecs, or WebAssembly where WebCodecs cannot decode Opus), decoded
 * frames handed to the playback mixer (in its worklet, or on this thread where there is no AudioWorklet), which
 * buffers, conceals, mixes and applies each stream's volume.
 */
export class Player {
  readonly #context: AudioContext;
  readonly #onReport: (stream: PlayedStream) => void;
  readonly #streams = new Map<number, Playing>();
  #decodePath: CodecPaths['decode'];
  // Ended streams still play out what they buffered; their reports keep arriving until then.
  readonly #ended = new Map<number, PlayedStream>();
  #node: AudioWorkletNode | undefined;
  #script: ScriptPlayback | undefined;
  readonly #playback: CodecPaths['playback'];
  #recording: ((samples: Float32Array) => void) | undefined;

  constructor(context: AudioContext, onReport: (stream: PlayedStream) => void, paths: Pick<CodecPaths, 'decode' | 'playback'> = { decode: 'webcodecs', playback: 'worklet' }) {
    this.#context = context;
    this.#onReport = onReport;
    this.#decodePath = paths.decode;
    this.#playback = paths.playback;
  }

  async start(): Promise<void> {
    // While the context was held (a phone call, a background tab) frames were dropped; the few buffered before it
    // would now play seconds late, so playback starts again at the live edge.
    let running = this.#context.state === 'running';
    this.#context.addEventListener('statechange', () => {
      const now = this.#context.state === 'running';
      if (now && !running) this.#post({ type: 'flush' });
      running = now;
    });
    if (this.#playback === 'script-processor') {
      this.#script = new ScriptPlayback(this.#context, (message) => this.#fromWorklet(message));
      return;
    }
    await loadWorklet(this.#context, 'playback', playbackSource);
    this.#node = new AudioWorkletNode(this.#context, 'wsaudio-playback', { numberOfInputs: 0, outputChannelCount: [1] });
    this.#node.port.onmessage = (event: MessageEvent<FromPlaybackWorklet>) => this.#fromWorklet(event.data);
    this.#node.connect(this.#context.destination);
  }

  /** How this player decodes Opus now: WebCodecs, or WebAssembly after WebCodecs failed or where it is missing. */
  get decodePath(): CodecPaths['decode'] {
    return this.#decodePath;
  }

  get streams(): ReadonlyMap<number, PlayedStream> {
    return new Map([...this.#streams].map(([id, s]) => [id, s.played]));
  }

  addStream(info: StreamInfo): void {
    const existing = this.#streams.get(info.streamId);
    if (existing !== undefined) {
      existing.played.liveAt = Date.now();
      existing.played.firstAudioAt = undefined;
      return;
    }
    this.#ended.delete(info.streamId);
    // Decoders emit in input order, so each output belongs to the oldest frame still waiting.
    const pending: [number, number][] = [];
    const played: PlayedStream = { info, report: undefined, latencies: [], liveAt: Date.now(), firstAudioAt: undefined, decodeErrors: 0 };
    const playing: Playing = { played, decoder: undefined, decodedAny: false, wasm: undefined, waiting: undefined, pending };
    if (info.format.codec === 'opus' && this.#decodePath === 'webcodecs') {
      playing.decoder = new AudioDecoder({
        output: (data) => {
          playing.decodedAny = true;
          this.#decoded(info.streamId, data, pending);
        },
        error: () => {
          played.decodeErrors++;
          // A browser that claims Opus but fails on the first real packet: this page decodes with WebAssembly.
          if (!playing.decodedAny && this.#streams.get(info.streamId) === playing) {
            this.#decodePath = 'wasm';
            playing.decoder = undefined;
            pending.length = 0;
            this.#startWasm(playing);
          }
        },
      });
      playing.decoder.configure({ codec: 'opus', sampleRate: 48000, numberOfChannels: info.format.channels });
    } else if (info.format.codec === 'opus') {
      this.#startWasm(playing);
    }
    this.#streams.set(info.streamId, playing);
  }

  /** The stream went offline: what is buffered still plays, then the stream is dropped. */
  endStream(streamId: number): void {
    const stream = this.#streams.get(streamId);
    if (stream === undefined) return;
    this.#streams.delete(streamId);
    this.#ended.set(streamId, stream.played);
    if (this.#ended.size > 32) this.#ended.delete(this.#ended.keys().next().value as number);
    stream.wasm?.free();
    stream.waiting = undefined;
    const decoder = stream.decoder;
    if (decoder?.state !== 'configured') {
      this.#post({ type: 'end', streamId });
      return;
    }
    // Frames still in the decoder belong before the end; the buffered ones then play out.
    decoder.flush().catch(() => undefined).finally(() => {
      decoder.close();
      this.#post({ type: 'end', streamId });
    });
  }

  frame(header: AudioFrameHeader, payload: Uint8Array): void {
    const stream = this.#streams.get(header.streamId);
    // While the browser holds the page's audio (autoplay policy), frames would only pile up to be played late.
    if (stream === undefined || payload.byteLength === 0 || this.#context.state !== 'running') return;
    if (stream.decoder !== undefined) {
      if (stream.decoder.state !== 'configured') return;
      stream.pending.push([header.sequence, header.captureTimeMicros]);
      stream.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: Math.round((header.timestamp * 1_000_000) / 48000), data: payload }));
    } else if (stream.wasm !== undefined) {
      this.#decodeWasm(stream, header, payload);
    } else if (stream.waiting !== undefined) {
      if (stream.waiting.length < MAX_WAITING) stream.waiting.push([header, payload.slice()]);
    } else {
      this.#post({ type: 'frame', streamId: header.streamId, sequence: header.sequence, samples: pcm16ToFloat(payload, stream.played.info.format.channels, stream.played.info.format.sampleRate), captureTimeMicros: header.captureTimeMicros });
    }
  }

  setVolume(streamId: number, gain: number): void {
    this.#post({ type: 'volume', streamId, gain });
  }

  /** Starts keeping everything the player outputs, until {@link stopRecording}. */
  startRecording(): void {
    this.#post({ type: 'record', on: true });
  }

  stopRecording(): Promise<Float32Array> {
    return new Promise((resolve) => {
      this.#recording = resolve;
      this.#post({ type: 'record', on: false });
    });
  }

  stop(): void {
    for (const id of [...this.#streams.keys()]) this.endStream(id);
    this.#node?.disconnect();
    this.#script?.disconnect();
  }

  #startWasm(playing: Playing): void {
    const streamId = playing.played.info.streamId;
    playing.waiting = [];
    loadWasmOpus()
      .then((module) => module.createDecoder(playing.played.info.format.channels))
      .then((wasm) => {
        if (this.#streams.get(streamId) !== playing) {
          wasm.free();
          return;
        }
        playing.wasm = wasm;
        for (const [header, payload] of playing.waiting ?? []) this.#decodeWasm(playing, header, payload);
        playing.waiting = undefined;
      })
      .catch(() => {
        playing.played.decodeErrors++;
      });
  }

  #decodeWasm(stream: Playing, header: AudioFrameHeader, payload: Uint8Array): void {
    try {
      const samples = stream.wasm!.decode(payload);
      this.#post({ type: 'frame', streamId: header.streamId, sequence: header.sequence, samples, captureTimeMicros: header.captureTimeMicros }, [samples.buffer]);
    } catch {
      stream.played.decodeErrors++;
    }
  }

  #decoded(streamId: number, data: AudioData, pending: [number, number][]): void {
    const meta = pending.shift();
    const samples = new Float32Array(data.numberOfFrames);
    const channel = new Float32Array(data.numberOfFrames);
    for (let c = 0; c < data.numberOfChannels; c++) {
      data.copyTo(channel, { planeIndex: c, format: 'f32-planar' });
      for (let i = 0; i < samples.length; i++) samples[i] = (samples[i] ?? 0) + (channel[i] ?? 0) / data.numberOfChannels;
    }
    data.close();
    if (meta === undefined) return;
    this.#post({ type: 'frame', streamId, sequence: meta[0], samples, captureTimeMicros: meta[1] }, [samples.buffer]);
  }

  #fromWorklet(message: FromPlaybackWorklet): void {
    if (message.type === 'recording') {
      this.#recording?.(message.samples);
      this.#recording = undefined;
      return;
    }
    for (const report of message.streams) {
      const played = this.#streams.get(report.streamId)?.played ?? this.#ended.get(report.streamId);
      if (played === undefined) continue;
      played.report = report;
      for (const [capture, contextTime] of report.played) {
        const wall = contextTimeToWallMs(contextTime, message.now);
        played.firstAudioAt ??= wall;
        if (capture > 0) played.latencies.push(wall - capture / 1000);
      }
      if (played.latencies.length > MAX_LATENCY_SAMPLES) played.latencies.splice(0, played.latencies.length - MAX_LATENCY_SAMPLES);
      this.#onReport(played);
    }
  }

  #post(message: ToPlaybackWorklet, transfer: Transferable[] = []): void {
    if (this.#script !== undefined) this.#script.post(message);
    else this.#node?.port.postMessage(message, transfer);
  }
}

/** Signed 16-bit little-endian PCM → mono float at 48 kHz (linear interpolation for other rates). */
function pcm16ToFloat(payload: Uint8Array, channels: number, rate: number): Float32Array {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const frames = Math.floor(payload.byteLength / 2 / channels);
  const mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += view.getInt16((i * channels + c) * 2, true) / 32768;
    mono[i] = sum / channels;
  }
  if (rate === 48000) return mono;
  const out = new Float32Array(Math.round((frames * 48000) / rate));
  for (let i = 0; i < out.length; i++) {
    const x = (i * rate) / 48000;
    const k = Math.floor(x);
    const a = mono[k] ?? 0;
    const b = mono[k + 1] ?? a;
    out[i] = a + (b - a) * (x - k);
  }
  return out;
}
