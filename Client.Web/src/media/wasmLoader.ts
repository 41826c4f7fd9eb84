import type { WasmOpusDecoder } from './wasmOpus.js';

interface WasmOpusModule {
  createDecoder(channels: number): Promise<WasmOpusDecoder>;
}

let loading: Promise<WasmOpusModule> | undefined;

/**
 * Loads the WebAssembly Opus decoder once, from `wsaudio-opus.js` beside this library (the server serves both;
 * a bundler that copies the library copies `dist/wsaudio-opus.js` with it).
 */
export function loadWasmOpus(): Promise<WasmOpusModule> {
  loading ??= import(/* @vite-ignore */ new URL('./wsaudio-opus.js', import.meta.url).href) as Promise<WasmOpusModule>;
  return loading;
}
