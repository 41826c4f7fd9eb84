import type { CapturedBlock } from './messages.js';

const BLOCK = 960;

/** Taps the microphone: averages its channels and posts 20 ms mono blocks (at the context's 48 kHz). */
class CaptureProcessor extends AudioWorkletProcessor {
  #block = new Float32Array(BLOCK);
  #filled = 0;

  override process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    const first = channels?.[0];
    if (channels === undefined || first === undefined) return true;
    for (let i = 0; i < first.length; i++) {
      let sum = 0;
      for (const channel of channels) sum += channel[i] ?? 0;
      this.#block[this.#filled++] = sum / channels.length;
      if (this.#filled === BLOCK) {
        const now = currentTime + (i + 1) / sampleRate;
        const block: CapturedBlock = { samples: this.#block, time: now - BLOCK / sampleRate, now };
        this.port.postMessage(block, [this.#block.buffer]);
        this.#block = new Float32Array(BLOCK);
        this.#filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('wsaudio-capture', CaptureProcessor);
