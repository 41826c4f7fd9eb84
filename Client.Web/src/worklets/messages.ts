import type { JitterStats } from '../jitter/JitterBuffer.js';

/** Messages between the main thread and the playback worklet. */

export interface FrameToWorklet {
  type: 'frame';
  streamId: number;
  sequence: number;
  samples: Float32Array;
  captureTimeMicros: number;
}

export interface VolumeToWorklet { type: 'volume'; streamId: number; gain: number }
export interface EndToWorklet { type: 'end'; streamId: number }
export interface RecordToWorklet { type: 'record'; on: boolean }
/** Audio came back after the system held it: what was buffered before is stale, drop it. */
export interface FlushToWorklet { type: 'flush' }

export type ToPlaybackWorklet = FrameToWorklet | VolumeToWorklet | EndToWorklet | RecordToWorklet | FlushToWorklet;

export interface StreamReport extends JitterStats {
  streamId: number;
  /** RMS level over the report period, dBFS. */
  level: number;
  /** For frames that started playing this period: [capture time µs, context time the frame started]. */
  played: [number, number][];
}

/** `now` is the worklet's context time when it posted, so the receiver can place `played` times on its own clock. */
export interface StatsFromWorklet { type: 'stats'; now: number; streams: StreamReport[] }
export interface RecordingFromWorklet { type: 'recording'; samples: Float32Array }
export type FromPlaybackWorklet = StatsFromWorklet | RecordingFromWorklet;

/** A block of captured audio: 960 mono samples, and the context times of its first sample and of its posting. */
export interface CapturedBlock { samples: Float32Array<ArrayBuffer>; time: number; now: number }
