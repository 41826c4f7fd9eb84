import type { WasmOpusDecoder } from './wasmOpus.js';
import type { WasmOpusEncoder } from './wasmOpusEncoder.js';

interface WasmOpusModule {
  createDecoder(channels: number): Promise<WasmOpusDecoder>;
}

interface WasmOpusEncoderModule {
  createEncoder(bitrate: number): Promise<WasmOpusEncoder>;
}

let decoding: Promise<WasmOpusModule> | undefined;
let encoding: Promise<WasmOpusEncoderModule> | undefined;

/**
 * Loads the WebAssembly Opus decoder once, from `wsaudio-opus.js` beside this library (the server serves both;
 * a bundler that copies the library copies `dist/wsaudio-opus.js` with it).
 */
export function loadWasmOpus(): Promise<WasmOpusModule> {
  decoding ??= import(/* @vite-ignore */ new URL('./wsaudio-opus.js', import.meta.url).href) as Promise<WasmOpusModule>;
  return decoding;
}

/** Loads the WebAssembly Opus encoder once, from `wsaudio-opus-encoder.js` beside this library. */
export function loadWasmOpusEncoder(): Promise<WasmOpusEncoderModule> {
  encoding ??= import(/* @vite-ignore */ new URL('./wsaudio-opus-encoder.js', import.meta.url).href) as Promise<WasmOpusEncoderModule>;
  return encoding;
}
