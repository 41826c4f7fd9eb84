import { FLAG_END_OF_STREAM, FRAME_TYPE_AUDIO, HEADER_SIZE, PROTOCOL_VERSION } from './constants.js';

/** How a stream's payload is coded (byte 2 of a frame; `format.codec` in JSON). */
export type Codec = 'opus' | 'pcm16';

const CODEC_BYTES: Record<Codec, number> = { opus: 1, pcm16: 2 };

/** The fields of an audio frame header (docs/protocol.md §4). */
export interface AudioFrameHeader {
  codec: Codec;
  /** All flag bits, known or not. */
  flags: number;
  streamId: number;
  /** +1 per frame, wrapping at 2^32. */
  sequence: number;
  /** First sample of the payload, in samples at the stream's rate, wrapping at 2^32. */
  timestamp: number;
  /** Sender clock at capture, µs since the Unix epoch; 0 when unknown. Exact up to 2^53. */
  captureTimeMicros: number;
}

/** A decoded frame: its header and a view of its payload. */
export interface AudioFrame {
  header: AudioFrameHeader;
  payload: Uint8Array;
}

/** Why a binary message is not a frame. */
export type FrameError = 'truncated' | 'unsupported-version' | 'unknown-frame-type' | 'unknown-codec';

/** True when the end-of-stream flag is set. */
export function isEndOfStream(header: AudioFrameHeader): boolean {
  return (header.flags & FLAG_END_OF_STREAM) !== 0;
}

/** Reads a frame, or says why it is not one. The payload is a view into `bytes`, not a copy. */
export function decodeFrame(bytes: Uint8Array): AudioFrame | FrameError {
  if (bytes.byteLength < HEADER_SIZE) return 'truncated';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== PROTOCOL_VERSION) return 'unsupported-version';
  if (view.getUint8(1) !== FRAME_TYPE_AUDIO) return 'unknown-frame-type';
  const codecByte = view.getUint8(2);
  const codec = codecByte === 1 ? 'opus' : codecByte === 2 ? 'pcm16' : undefined;
  if (codec === undefined) return 'unknown-codec';
  return {
    header: {
      codec,
      flags: view.getUint8(3),
      streamId: view.getUint32(4),
      sequence: view.getUint32(8),
      timestamp: view.getUint32(12),
      captureTimeMicros: Number(view.getBigInt64(16)),
    },
    payload: bytes.subarray(HEADER_SIZE),
  };
}

/** Writes header and payload as one frame. */
export function encodeFrame(header: AudioFrameHeader, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(HEADER_SIZE + payload.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, PROTOCOL_VERSION);
  view.setUint8(1, FRAME_TYPE_AUDIO);
  view.setUint8(2, CODEC_BYTES[header.codec]);
  view.setUint8(3, header.flags & 0xff);
  view.setUint32(4, header.streamId >>> 0);
  view.setUint32(8, header.sequence >>> 0);
  view.setUint32(12, header.timestamp >>> 0);
  view.setBigInt64(16, BigInt(Math.trunc(header.captureTimeMicros)));
  bytes.set(payload, HEADER_SIZE);
  return bytes;
}
