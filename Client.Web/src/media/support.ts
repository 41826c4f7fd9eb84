import { ClientErrorCodes } from '../protocol/codes.js';
import { WsAudioError } from '../errors.js';

const OPUS_MONO = { codec: 'opus', sampleRate: 48000, numberOfChannels: 1 } as const;

/**
 * How this page decodes and sends audio: WebCodecs where the browser has a working Opus decoder and encoder;
 * otherwise a WebAssembly Opus decoder (loaded only then) and PCM 16 sending, which the server and every receiver
 * take as they take Opus.
 */
export interface CodecPaths {
  decode: 'webcodecs' | 'wasm';
  encode: 'webcodecs' | 'pcm16';
}

/**
 * Checks what WsAudio cannot do without (a secure context and AudioWorklet), then finds the codec paths by
 * feature and by a real decode, never by user agent. Throws a {@link WsAudioError} with code
 * `unsupported-browser` that says what is missing.
 */
export async function checkSupport(): Promise<CodecPaths> {
  if (typeof window !== 'undefined' && !window.isSecureContext) {
    throw new WsAudioError(ClientErrorCodes.Unsupported,
      'WsAudio needs a secure context: open the page over https (or from localhost); browsers allow neither audio worklets nor the microphone on plain http.');
  }
  if (typeof AudioWorkletNode === 'undefined') {
    throw new WsAudioError(ClientErrorCodes.Unsupported,
      'This browser lacks AudioWorklet (Web Audio); use a current Chrome, Edge, Firefox or Safari.');
  }
  const decode = (await webCodecsDecodes()) ? 'webcodecs' : 'wasm';
  const encode = typeof AudioEncoder !== 'undefined' && (await AudioEncoder.isConfigSupported({ ...OPUS_MONO, bitrate: 32000 }).catch(() => undefined))?.supported === true
    ? 'webcodecs'
    : 'pcm16';
  return { decode, encode };
}

// A browser that says it decodes Opus is taken at its word here; the player tries the first real packets and
// falls back to WebAssembly if they fail (Player), so a browser that claims more than it does still plays.
async function webCodecsDecodes(): Promise<boolean> {
  if (typeof AudioDecoder === 'undefined') return false;
  return (await AudioDecoder.isConfigSupported(OPUS_MONO).catch(() => undefined))?.supported === true;
}
