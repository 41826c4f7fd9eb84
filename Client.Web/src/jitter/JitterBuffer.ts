/** One decoded frame waiting to be played. */
export interface BufferedFrame {
  sequence: number;
  samples: Float32Array;
  /** Sender clock at capture, µs since the Unix epoch (0 when unknown). */
  captureTimeMicros: number;
}

/** What {@link JitterBuffer.next} hands the mixer. */
export type Playout =
  | { kind: 'frame'; frame: BufferedFrame }
  | { kind: 'concealed'; samples: Float32Array }
  | { kind: 'waiting' };

/** Counters and levels of one buffer, for stats. */
export interface JitterStats {
  /** Frames waiting now, in frames. */
  buffered: number;
  /** The delay the buffer aims for, in frames. */
  target: number;
  received: number;
  /** Frames that arrived after their turn had passed. */
  late: number;
  /** Missing frames replaced by concealment. */
  concealed: number;
  /** Times the buffer ran dry while playing and had to refill. */
  underruns: number;
  /** Frames skipped to bring the delay back down after the network calmed. */
  skipped: number;
}

export interface JitterBufferOptions {
  /** Samples per frame (960 = 20 ms at 48 kHz). */
  frameSamples: number;
  /** Starting and smallest target, in frames. Default 2 (40 ms). */
  minTarget?: number;
  /** Largest target, in frames. Default 15 (300 ms). */
  maxTarget?: number;
  /** Frames played without trouble before the target shrinks by one. Default 250 (5 s). */
  calmFrames?: number;
  /** Consecutive pulls that leave more than `target` frames waiting before one is skipped to catch up. Default 10 (200 ms). */
  catchUpFrames?: number;
  /**
   * Frames that may wait at most, beyond which the oldest are dropped down to `target` at once. Default `maxTarget`
   * + 10 (500 ms). A listener whose audio was held (a page not yet allowed to play, a frozen tab) then starts at
   * the live edge instead of playing seconds-old audio and catching up slowly. Also the pulls (frame times) that
   * fewer than `target` frames may wait for more: then they are dropped, as the end of a stream that paused.
   */
  maxBacklog?: number;
}

/**
 * Per-stream adaptive jitter buffer on decoded frames. It starts playing once `target` frames are waiting; a
 * missing frame with later ones already here is concealed, so a loss never stalls the stream; running dry or a
 * frame arriving too late grows the target by one frame (up to `maxTarget`); after `calmFrames` without trouble
 * the target shrinks by one. A burst that leaves more than `target` frames waiting after `catchUpFrames` pulls
 * in a row costs one skipped frame, so a backlog drains at no more than one frame in `catchUpFrames`.
 */
export class JitterBuffer {
  readonly #frames = new Map<number, BufferedFrame>();
  readonly #frameSamples: number;
  readonly #minTarget: number;
  readonly #maxTarget: number;
  readonly #calmFrames: number;
  readonly #catchUpFrames: number;
  readonly #maxBacklog: number;
  #target: number;
  #surplus = 0;
  #playing = false;
  #started = false;
  #next = 0;
  #newest = 0;
  #calm = 0;
  #concealRun = 0;
  #waited = 0;
  #last: Float32Array | undefined;
  #stats = { received: 0, late: 0, concealed: 0, underruns: 0, skipped: 0 };

  constructor(options: JitterBufferOptions) {
    this.#frameSamples = options.frameSamples;
    this.#minTarget = options.minTarget ?? 2;
    this.#maxTarget = options.maxTarget ?? 15;
    this.#calmFrames = options.calmFrames ?? 250;
    this.#catchUpFrames = options.catchUpFrames ?? 10;
    this.#maxBacklog = options.maxBacklog ?? this.#maxTarget + 10;
    this.#target = this.#minTarget;
  }

  /** Takes a decoded frame. A frame whose turn has passed is counted as late and dropped. */
  push(frame: BufferedFrame): void {
    if (this.#started && distance(this.#next, frame.sequence) < 0) {
      this.#stats.late++;
      this.#grow();
      return;
    }
    if (this.#frames.has(frame.sequence)) return;
    if (this.#frames.size === 0 || distance(this.#newest, frame.sequence) > 0) this.#newest = frame.sequence;
    this.#frames.set(frame.sequence, frame);
    this.#stats.received++;
    if (this.#frames.size > this.#maxBacklog) this.#dropBacklog();
  }

  /** The next frame to play, a concealment, or nothing yet (before the buffer has filled). */
  next(): Playout {
    if (!this.#playing) {
      if (this.#frames.size < this.#target) {
        this.#waited = this.#frames.size === 0 ? 0 : this.#waited + 1;
        if (this.#waited > this.#maxBacklog) this.#dropStale();
        return { kind: 'waiting' };
      }
      this.#waited = 0;
      this.#playing = true;
      if (!this.#started) {
        this.#started = true;
        this.#next = this.#oldest();
      }
    }

    const frame = this.#frames.get(this.#next);
    if (frame !== undefined) {
      this.#frames.delete(this.#next);
      this.#next = (this.#next + 1) >>> 0;
      this.#concealRun = 0;
      this.#last = frame.samples;
      this.#afterGoodFrame();
      return { kind: 'frame', frame };
    }

    if (this.#frames.size > 0) {
      // Later frames are here, so this one is lost (or hopelessly late): conceal it and move on.
      this.#next = (this.#next + 1) >>> 0;
      this.#stats.concealed++;
      this.#calm = 0;
      return { kind: 'concealed', samples: this.#conceal() };
    }

    // Ran dry: the network fell behind the playout. Refill to a larger target before playing on.
    this.#stats.underruns++;
    this.#playing = false;
    this.#grow();
    return { kind: 'waiting' };
  }

  /** True when nothing is waiting and nothing is playing. */
  get idle(): boolean {
    return this.#frames.size === 0 && !this.#playing;
  }

  get stats(): JitterStats {
    return { buffered: this.#frames.size, target: this.#target, ...this.#stats };
  }

  #afterGoodFrame(): void {
    if (++this.#calm >= this.#calmFrames) {
      this.#calm = 0;
      if (this.#target > this.#minTarget) this.#target--;
    }
    // Right after a pull a buffer at rest holds target - 1 frames; more than target means a backlog.
    this.#surplus = this.#frames.size > this.#target ? this.#surplus + 1 : 0;
    if (this.#surplus >= this.#catchUpFrames && this.#frames.has(this.#next)) {
      this.#surplus = 0;
      this.#frames.delete(this.#next);
      this.#next = (this.#next + 1) >>> 0;
      this.#stats.skipped++;
    }
  }

  // Keeps the newest `target` frames; play goes on from the oldest of them.
  #dropBacklog(): void {
    const kept = [...this.#frames.keys()].sort((a, b) => distance(b, a)).slice(-this.#target);
    for (const sequence of [...this.#frames.keys()]) {
      if (!kept.includes(sequence)) {
        this.#frames.delete(sequence);
        this.#stats.skipped++;
      }
    }
    if (this.#started) this.#next = this.#oldest();
  }

  // A sender that stops (a mute, a pause in sending) can leave frames short of the target after an underrun. Kept,
  // they would be played first when it speaks again, as late as its pause was long; its next frame starts afresh.
  #dropStale(): void {
    this.#stats.skipped += this.#frames.size;
    this.#frames.clear();
    this.#waited = 0;
    if (this.#started) this.#next = (this.#newest + 1) >>> 0;
  }

  #grow(): void {
    this.#calm = 0;
    if (this.#target < this.#maxTarget) this.#target++;
  }

  #oldest(): number {
    let oldest = this.#newest;
    for (const sequence of this.#frames.keys()) {
      if (distance(oldest, sequence) < 0) oldest = sequence;
    }
    return oldest;
  }

  // The first missing frame repeats the last one at half level; further ones fade to silence.
  #conceal(): Float32Array {
    const samples = new Float32Array(this.#frameSamples);
    this.#concealRun++;
    if (this.#last !== undefined && this.#concealRun <= 2) {
      const gain = 0.5 / this.#concealRun;
      for (let i = 0; i < samples.length; i++) samples[i] = (this.#last[i] ?? 0) * gain;
    }
    return samples;
  }
}

/** Signed distance from `a` to `b` on the 32-bit sequence circle. */
function distance(a: number, b: number): number {
  return ((b - a) << 0);
}
