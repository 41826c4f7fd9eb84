/** The WebSocket subprotocol every connection must offer. */
export const SUBPROTOCOL = 'wsaudio.v1';

/** First byte of every binary frame. */
export const PROTOCOL_VERSION = 1;

/** Size of the fixed binary frame header in bytes. */
export const HEADER_SIZE = 24;

/** Frame type byte: audio. */
export const FRAME_TYPE_AUDIO = 1;

/** Flag bit: the last frame of a stream. */
export const FLAG_END_OF_STREAM = 0x01;
