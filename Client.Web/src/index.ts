// The WsAudio browser library: one import for everything an embedding page needs.
export { Room } from './connection/Room.js';
export type { ConnectionState, RoomEvents, RoomOptions, RoomStats, SpeakingEvent, StreamStats } from './connection/types.js';
export type { MicrophoneOptions } from './media/Microphone.js';
export { checkSupport } from './media/support.js';
export { WsAudioError } from './errors.js';
export { ClientErrorCodes, CloseCodes, ErrorCodes } from './protocol/codes.js';
export { SUBPROTOCOL, HEADER_SIZE } from './protocol/constants.js';
export { decodeFrame, encodeFrame, isEndOfStream } from './protocol/frame.js';
export type { AudioFrame, AudioFrameHeader, Codec, FrameError } from './protocol/frame.js';
export type { AudioFormat, ParticipantInfo, Role, StreamInfo } from './protocol/messages.js';
export { JitterBuffer } from './jitter/JitterBuffer.js';
export type { JitterStats } from './jitter/JitterBuffer.js';
