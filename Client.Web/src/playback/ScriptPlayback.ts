import type { FromPlaybackWorklet, ToPlaybackWorklet } from '../worklets/messages.js';
import { PlaybackMixer } from './PlaybackMixer.js';

// 2048 samples (43 ms at 48 kHz): the page's own thread renders, and it may be busy; smaller blocks would click.
const BLOCK = 2048;

/**
 * Playback where the browser gives no AudioWorklet (pages on plain http other than localhost): the same mixer, run
 * on the page's thread by a ScriptProcessorNode, the one audio callback such pages have.
 */
export class ScriptPlayback {
  readonly #node: ScriptProcessorNode;
  readonly #mixer: PlaybackMixer;

  constructor(context: AudioContext, onMessage: (message: FromPlaybackWorklet) => void) {
    this.#mixer = new PlaybackMixer((message) => onMessage(message));
    this.#node = context.createScriptProcessor(BLOCK, 1, 1);
    this.#node.onaudioprocess = (event) => {
      const output = event.outputBuffer;
      const mix = output.getChannelData(0);
      this.#mixer.render(mix, event.playbackTime, context.sampleRate, context.currentTime);
      for (let c = 1; c < output.numberOfChannels; c++) output.getChannelData(c).set(mix);
    };
    this.#node.connect(context.destination);
  }

  post(message: ToPlaybackWorklet): void {
    this.#mixer.receive(message);
  }

  disconnect(): void {
    this.#node.onaudioprocess = null;
    this.#node.disconnect();
  }
}
