import { JitterBuffer } from '../jitter/JitterBuffer.js';
import type { FromPlaybackWorklet, StreamReport, ToPlaybackWorklet } from '../worklets/messages.js';

const FRAME = 960;
const REPORT_SAMPLES = 4800;

interface Stream {
  buffer: JitterBuffer;
  gain: number;
  ending: boolean;
  current: Float32Array | undefined;
  offset: number;
  sumSquares: number;
  count: number;
  played: [number, number][];
}

/**
 * Mixes every remote stream: each has its own jitter buffer; frames are pulled as the output needs them, scaled by
 * the stream's volume and summed. Reports levels, buffer counters and playout times every 100 ms. It runs in the
 * playback worklet, or on the page's own thread where the browser has no AudioWorklet (plain http).
 */
export class PlaybackMixer {
  readonly #streams = new Map<number, Stream>();
  readonly #gains = new Map<number, number>();
  readonly #post: (message: FromPlaybackWorklet, transfer?: ArrayBuffer[]) => void;
  #sinceReport = 0;
  #recording: Float32Array[] | undefined;

  constructor(post: (message: FromPlaybackWorklet, transfer?: ArrayBuffer[]) => void) {
    this.#post = post;
  }

  /**
   * Fills `mix` with the next samples. `time` is the context time its first sample plays at; `now` the context's
   * current time, which reports carry so the page can place playout times on its own clock.
   */
  render(mix: Float32Array, time: number, sampleRate: number, now = time): void {
    mix.fill(0);
    for (const [id, stream] of this.#streams) {
      this.#render(stream, mix, time, sampleRate);
      if (stream.ending && stream.buffer.idle && stream.current === undefined) this.#streams.delete(id);
    }
    this.#recording?.push(mix.slice());
    this.#sinceReport += mix.length;
    if (this.#sinceReport >= REPORT_SAMPLES) this.#report(now);
  }

  receive(message: ToPlaybackWorklet): void {
    switch (message.type) {
      case 'frame': {
        let stream = this.#streams.get(message.streamId);
        if (stream === undefined) {
          stream = { buffer: new JitterBuffer({ frameSamples: FRAME }), gain: this.#gains.get(message.streamId) ?? 1, ending: false, current: undefined, offset: 0, sumSquares: 0, count: 0, played: [] };
          this.#streams.set(message.streamId, stream);
        }
        stream.ending = false;
        stream.buffer.push({ sequence: message.sequence, samples: message.samples, captureTimeMicros: message.captureTimeMicros });
        break;
      }
      case 'volume': {
        // Kept apart from the stream: a volume set before a stream's first frame, or between its runs, still holds.
        this.#gains.set(message.streamId, message.gain);
        const stream = this.#streams.get(message.streamId);
        if (stream !== undefined) stream.gain = message.gain;
        break;
      }
      case 'end': {
        const stream = this.#streams.get(message.streamId);
        if (stream !== undefined) stream.ending = true;
        break;
      }
      case 'flush':
        // Volumes live apart from the streams and survive; each stream starts again with its next frame.
        this.#streams.clear();
        break;
      case 'record': {
        if (message.on) {
          this.#recording = [];
        } else if (this.#recording !== undefined) {
          const total = this.#recording.reduce((n, b) => n + b.length, 0);
          const samples = new Float32Array(total);
          let at = 0;
          for (const block of this.#recording) {
            samples.set(block, at);
            at += block.length;
          }
          this.#recording = undefined;
          this.#post({ type: 'recording', samples }, [samples.buffer]);
        }
        break;
      }
    }
  }

  #render(stream: Stream, mix: Float32Array, time: number, sampleRate: number): void {
    let written = 0;
    while (written < mix.length) {
      if (stream.current === undefined || stream.offset >= stream.current.length) {
        const next = stream.buffer.next();
        if (next.kind === 'waiting') {
          stream.current = undefined;
          break;
        }
        if (next.kind === 'frame') {
          stream.played.push([next.frame.captureTimeMicros, time + written / sampleRate]);
          stream.current = next.frame.samples;
        } else {
          stream.current = next.samples;
        }
        stream.offset = 0;
      }
      const count = Math.min(mix.length - written, stream.current.length - stream.offset);
      for (let i = 0; i < count; i++) {
        // The level is the stream's own, before this listener's volume: a person turned down still shows speaking.
        const sample = stream.current[stream.offset + i] ?? 0;
        mix[written + i] = (mix[written + i] ?? 0) + sample * stream.gain;
        stream.sumSquares += sample * sample;
      }
      stream.count += count;
      stream.offset += count;
      written += count;
    }
    if (written < mix.length) stream.count += mix.length - written;
  }

  #report(now: number): void {
    const streams: StreamReport[] = [];
    for (const [streamId, s] of this.#streams) {
      const rms = s.count > 0 ? Math.sqrt(s.sumSquares / s.count) : 0;
      streams.push({ streamId, level: rms > 0 ? Math.max(-120, 20 * Math.log10(rms)) : -120, ...s.buffer.stats, played: s.played });
      s.sumSquares = 0;
      s.count = 0;
      s.played = [];
    }
    this.#sinceReport = 0;
    this.#post({ type: 'stats', now, streams });
  }
}
