// Entry of dist/wsaudio-opus.js: the WebAssembly Opus decoder (npm opus-decoder, MIT), loaded by the library only
// in browsers whose WebCodecs cannot decode Opus.
import { OpusDecoder } from 'opus-decoder';

/** Decodes one stream's 20 ms packets to 48 kHz mono. */
export interface WasmOpusDecoder {
  decode(packet: Uint8Array): Float32Array;
  free(): void;
}

export async function createDecoder(channels: number): Promise<WasmOpusDecoder> {
  const decoder = new OpusDecoder({ channels, preSkip: 0 });
  await decoder.ready;
  return {
    decode(packet: Uint8Array): Float32Array {
      const { channelData, samplesDecoded } = decoder.decodeFrame(packet);
      const mono = new Float32Array(samplesDecoded);
      for (const channel of channelData) {
        for (let i = 0; i < samplesDecoded; i++) mono[i] = (mono[i] ?? 0) + (channel[i] ?? 0) / channelData.length;
      }
      return mono;
    },
    free: () => decoder.free(),
  };
}
