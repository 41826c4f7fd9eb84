import { ClientErrorCodes } from '../protocol/codes.js';
import { WsAudioError } from '../errors.js';
import { loadWasmOpusEncoder } from './wasmLoader.js';

const OPUS_MONO = { codec: 'opus', sampleRate: 48000, numberOfChannels: 1 } as const;

/**
 * How this page decodes, plays and sends audio: WebCodecs and AudioWorklet where the browser has them; otherwise
 * WebAssembly Opus (each half loaded only when needed) and playback on the page's thread. Where the WebAssembly
 * encoder cannot run either (a Content-Security-Policy without 'wasm-unsafe-eval'), the microphone goes out as
 * PCM 16, which the server and every receiver take as they take Opus. Pages on plain http (other than localhost)
 * get neither WebCodecs nor AudioWorklet nor the microphone: they listen through the fallbacks and cannot send.
 */
export interface CodecPaths {
  decode: 'webcodecs' | 'wasm';
  encode: 'webcodecs' | 'wasm' | 'pcm16';
  playback: 'worklet' | 'script-processor';
}

/**
 * Checks what WsAudio cannot do without (Web Audio), then finds the paths by feature and by a real decode, never by
 * user agent. Throws a {@link WsAudioError} with code `unsupported-browser` that says what is missing.
 */
export async function checkSupport(): Promise<CodecPaths> {
  const secure = typeof window === 'undefined' || window.isSecureContext;
  let playback: CodecPaths['playback'];
  if (typeof AudioWorkletNode !== 'undefined' && secure) {
    playback = 'worklet';
  } else if (typeof AudioContext !== 'undefined' && 'createScriptProcessor' in AudioContext.prototype) {
    playback = 'script-processor';
  } else {
    throw new WsAudioError(ClientErrorCodes.Unsupported,
      'This browser lacks Web Audio (AudioContext); use a current Chrome, Edge, Firefox or Safari.');
  }
  const decode = (await webCodecsDecodes()) ? 'webcodecs' : 'wasm';
  const encode = typeof AudioEncoder !== 'undefined' && (await AudioEncoder.isConfigSupported({ ...OPUS_MONO, bitrate: 32000 }).catch(() => undefined))?.supported === true
    ? 'webcodecs'
    : typeof WebAssembly !== 'undefined' ? 'wasm' : 'pcm16';
  return { decode, encode, playback };
}

// A browser that says it decodes Opus is taken at its word here; the player tries the first real packets and
// falls back to WebAssembly if they fail (Player), so a browser that claims more than it does still plays.
async function webCodecsDecodes(): Promise<boolean> {
  if (typeof AudioDecoder === 'undefined') return false;
  return (await AudioDecoder.isConfigSupported(OPUS_MONO).catch(() => undefined))?.supported === true;
}

// The smallest valid WebAssembly module: compiling it shows whether the page's policy lets WebAssembly run.
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const ENCODER_LOAD_MS = 5000;

/** True when the WebAssembly Opus encoder loads and encodes a frame here (a page's CSP may forbid WebAssembly). */
export async function wasmEncoderWorks(bitrate: number): Promise<boolean> {
  try {
    // Under a Content-Security-Policy without 'wasm-unsafe-eval' this throws at once; the encoder's own loader
    // would only abort later, and not always by rejecting.
    new WebAssembly.Module(EMPTY_MODULE);
    const load = (await loadWasmOpusEncoder()).createEncoder(bitrate);
    const encoder = await Promise.race([load, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ENCODER_LOAD_MS))]);
    const works = encoder.encode(new Float32Array(960)).byteLength > 0;
    encoder.free();
    return works;
  } catch {
    return false;
  }
}
