import { PlaybackMixer } from '../playback/PlaybackMixer.js';
import type { ToPlaybackWorklet } from './messages.js';

/** The playback mixer on the audio rendering thread. */
class PlaybackProcessor extends AudioWorkletProcessor {
  readonly #mixer = new PlaybackMixer((message, transfer) => this.port.postMessage(message, transfer));

  constructor() {
    super();
    this.port.onmessage = (event) => this.#mixer.receive(event.data as ToPlaybackWorklet);
  }

  override process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const output = outputs[0];
    const mix = output?.[0];
    if (output === undefined || mix === undefined) return true;
    this.#mixer.render(mix, currentTime, sampleRate);
    for (let c = 1; c < output.length; c++) output[c]?.set(mix);
    return true;
  }
}

registerProcessor('wsaudio-playback', PlaybackProcessor);
