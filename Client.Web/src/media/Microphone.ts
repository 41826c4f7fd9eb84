import captureSource from 'worklet:capture';
import { ClientErrorCodes } from '../protocol/codes.js';
import { WsAudioError } from '../errors.js';
import type { CapturedBlock } from '../worklets/messages.js';
import { contextTimeToWallMs } from './clock.js';
import type { CodecPaths } from './support.js';
import { loadWasmOpusEncoder } from './wasmLoader.js';
import type { WasmOpusEncoder } from './wasmOpusEncoder.js';
import { loadWorklet } from './worklet.js';

/** Browser audio processing for the microphone; all on by default, as a call needs. */
export interface MicrophoneOptions {
  echoCancellation?: boolean;
  noiseSuppression?: boolean;
  autoGainControl?: boolean;
  /** A specific input device (from `navigator.mediaDevices.enumerateDevices()`). */
  deviceId?: string;
}

/** One encoded 20 ms frame, ready to be framed and sent. */
export interface EncodedPacket {
  payload: Uint8Array;
  /** Media timestamp in 48 kHz samples since the microphone started. */
  timestamp: number;
  /** Capture time, µs since the Unix epoch. */
  captureTimeMicros: number;
}

const FRAME = 960;

/**
 * Microphone → 48 kHz mono via an AudioWorklet tap (whatever rate and channels the device delivers) → Opus encoder
 * (WebCodecs, or WebAssembly where the browser has none), 20 ms frames; where neither can run, the 20 ms blocks go
 * out as PCM 16 instead.
 * Muting keeps the whole pipeline running and only stops handing out packets, so unmuting is instant.
 */
export class Microphone {
  readonly #context: AudioContext;
  readonly #onPacket: (packet: EncodedPacket) => void;
  readonly #onLevel: (dbfs: number) => void;
  // What each frame handed to the encoder was, in order: the encoder gives one packet per frame, in the same order,
  // but numbers its output by its own running count, which does not skip the frames not encoded while muted.
  readonly #pending: { timestamp: number; capture: number }[] = [];
  #stream: MediaStream | undefined;
  #source: MediaStreamAudioSourceNode | undefined;
  #node: AudioWorkletNode | undefined;
  #sink: GainNode | undefined;
  #encoder: AudioEncoder | undefined;
  #wasm: WasmOpusEncoder | undefined;
  readonly #encodePath: CodecPaths['encode'];
  #samples = 0;
  muted = false;

  constructor(context: AudioContext, onPacket: (packet: EncodedPacket) => void, onLevel: (dbfs: number) => void, encodePath: CodecPaths['encode'] = 'webcodecs') {
    this.#context = context;
    this.#onPacket = onPacket;
    this.#onLevel = onLevel;
    this.#encodePath = encodePath;
  }

  async start(options: MicrophoneOptions, bitrate: number): Promise<void> {
    this.#stream = await open(options);

    if (this.#encodePath === 'webcodecs') {
      this.#encoder = new AudioEncoder({
        output: (chunk) => this.#encoded(chunk),
        error: (error) => console.error('wsaudio: encoder failed', error),
      });
      this.#encoder.configure({ codec: 'opus', sampleRate: 48000, numberOfChannels: 1, bitrate, opus: { frameDuration: 20000 } } as AudioEncoderConfig);
    } else if (this.#encodePath === 'wasm') {
      this.#wasm = await (await loadWasmOpusEncoder()).createEncoder(bitrate);
    }

    await loadWorklet(this.#context, 'capture', captureSource);
    this.#source = this.#context.createMediaStreamSource(this.#stream);
    this.#node = new AudioWorkletNode(this.#context, 'wsaudio-capture', { numberOfOutputs: 1, outputChannelCount: [1] });
    this.#node.port.onmessage = (event: MessageEvent<CapturedBlock>) => this.#captured(event.data);
    // A worklet is only processed while connected towards the destination; a silent gain keeps it audible to no one.
    this.#sink = this.#context.createGain();
    this.#sink.gain.value = 0;
    this.#source.connect(this.#node).connect(this.#sink).connect(this.#context.destination);
  }

  /**
   * Moves to another input device without stopping: the new device feeds the same encoder and the stream goes on
   * (same stream, timestamps running on), so the room hears no gap beyond the switch itself.
   */
  async switchDevice(options: MicrophoneOptions): Promise<void> {
    if (this.#node === undefined) return;
    const stream = await open(options);
    const source = this.#context.createMediaStreamSource(stream);
    source.connect(this.#node);
    this.#source?.disconnect();
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    this.#source = source;
    this.#stream = stream;
  }

  /** The input device in use, as `enumerateDevices()` names it. */
  get deviceId(): string | undefined {
    return this.#stream?.getAudioTracks()[0]?.getSettings().deviceId;
  }

  async stop(): Promise<void> {
    this.#source?.disconnect();
    this.#node?.disconnect();
    this.#sink?.disconnect();
    if (this.#node !== undefined) this.#node.port.onmessage = null;
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    if (this.#encoder?.state === 'configured') await this.#encoder.flush();
    this.#encoder?.close();
    this.#encoder = undefined;
    this.#wasm?.free();
    this.#wasm = undefined;
  }

  /** Media timestamp of the next frame (in 48 kHz samples). */
  get nextTimestamp(): number {
    return this.#samples;
  }

  #captured(block: CapturedBlock): void {
    let sum = 0;
    for (const s of block.samples) sum += s * s;
    const rms = Math.sqrt(sum / block.samples.length);
    this.#onLevel(rms > 0 ? Math.max(-120, 20 * Math.log10(rms)) : -120);

    const timestamp = this.#samples;
    this.#samples += FRAME;
    if (this.muted) return;
    if (this.#encodePath === 'pcm16') {
      this.#onPacket({ payload: toPcm16(block.samples), timestamp, captureTimeMicros: Math.round(contextTimeToWallMs(block.time, block.now) * 1000) });
      return;
    }
    if (this.#wasm !== undefined) {
      this.#onPacket({ payload: this.#wasm.encode(block.samples), timestamp, captureTimeMicros: Math.round(contextTimeToWallMs(block.time, block.now) * 1000) });
      return;
    }
    if (this.#encoder?.state !== 'configured') return;
    const micros = Math.round((timestamp * 1_000_000) / 48000);
    this.#pending.push({ timestamp, capture: Math.round(contextTimeToWallMs(block.time, block.now) * 1000) });
    const data = new AudioData({ format: 'f32-planar', sampleRate: 48000, numberOfFrames: FRAME, numberOfChannels: 1, timestamp: micros, data: block.samples });
    this.#encoder.encode(data);
    data.close();
  }

  #encoded(chunk: EncodedAudioChunk): void {
    const meta = this.#pending.shift();
    const payload = new Uint8Array(chunk.byteLength);
    chunk.copyTo(payload);
    this.#onPacket({
      payload,
      timestamp: meta?.timestamp ?? Math.round((chunk.timestamp * 48000) / 1_000_000),
      captureTimeMicros: meta?.capture ?? 0,
    });
  }
}

async function open(options: MicrophoneOptions): Promise<MediaStream> {
  if (typeof navigator.mediaDevices?.getUserMedia !== 'function' || (typeof window !== 'undefined' && !window.isSecureContext)) {
    throw new WsAudioError(ClientErrorCodes.MicrophoneUnavailable,
      'Browsers give the microphone only to pages on https (or on localhost); this page is on plain http. Listening works; to speak, open it over https.');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: {
        echoCancellation: options.echoCancellation ?? true,
        noiseSuppression: options.noiseSuppression ?? true,
        autoGainControl: options.autoGainControl ?? true,
        ...(options.deviceId === undefined ? {} : { deviceId: { exact: options.deviceId } }),
      },
    });
  } catch (error) {
    const denied = error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'SecurityError');
    throw new WsAudioError(denied ? ClientErrorCodes.MicrophoneDenied : ClientErrorCodes.MicrophoneUnavailable, `The microphone could not be opened: ${String(error)}`, error);
  }
}

/** Float samples as 16-bit little-endian PCM, clipped. */
function toPcm16(samples: Float32Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(2 * i, Math.round(Math.max(-1, Math.min(1, samples[i] ?? 0)) * 32767), true);
  return bytes;
}
