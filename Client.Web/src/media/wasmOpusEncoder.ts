// Entry of dist/wsaudio-opus-encoder.js: a WebAssembly Opus encoder (npm libopus-wasm, MIT, libopus 1.6), loaded by
// the library only where the browser has no Opus encoder in WebCodecs.
import { Application, createEncoder as createLibopusEncoder } from 'libopus-wasm';

/** Encodes 20 ms blocks of 48 kHz mono to Opus packets. */
export interface WasmOpusEncoder {
  encode(samples: Float32Array): Uint8Array;
  free(): void;
}

export async function createEncoder(bitrate: number): Promise<WasmOpusEncoder> {
  const encoder = await createLibopusEncoder({ sampleRate: 48000, channels: 1, application: Application.Voip, bitrate, frameSize: 960 });
  return {
    encode: (samples) => encoder.encodeFloat(samples),
    free: () => encoder.free(),
  };
}
