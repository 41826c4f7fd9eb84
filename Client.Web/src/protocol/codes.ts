/** Stable `code` values of `error` messages (docs/protocol.md §5). */
export const ErrorCodes = {
  WebSocketRequired: 'websocket-required',
  SubprotocolRequired: 'subprotocol-required',
  MalformedFrame: 'malformed-frame',
  UnknownFrameType: 'unknown-frame-type',
  UnsupportedCodec: 'unsupported-codec',
  MessageTooBig: 'message-too-big',
  NotJoined: 'not-joined',
  StreamIdMismatch: 'stream-id-mismatch',
  SendNotAllowed: 'send-not-allowed',
  InvalidJson: 'invalid-json',
  UnknownMessageType: 'unknown-message-type',
  InvalidMessage: 'invalid-message',
  InvalidRoom: 'invalid-room',
  InvalidName: 'invalid-name',
  InvalidFormat: 'invalid-format',
  AlreadyJoined: 'already-joined',
  SlowConsumer: 'slow-consumer',
  TokenRequired: 'token-required',
  TokenInvalid: 'token-invalid',
  TokenExpired: 'token-expired',
  TokenWrongRoom: 'token-wrong-room',
  Forbidden: 'forbidden',
  MutedByAdmin: 'muted-by-admin',
  UnknownParticipant: 'unknown-participant',
  Removed: 'removed',
  RateLimited: 'rate-limited',
  TooManyConnections: 'too-many-connections',
  OriginNotAllowed: 'origin-not-allowed',
  RoomFull: 'room-full',
  TooManyRooms: 'too-many-rooms',
  JoinTimeout: 'join-timeout',
  IdleTimeout: 'idle-timeout',
} as const;

/** WebSocket close codes the server uses. */
export const CloseCodes = {
  Normal: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  UnsupportedData: 1003,
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  InternalError: 1011,
  SlowConsumer: 4001,
  Removed: 4003,
  Timeout: 4004,
} as const;

/** Client-side error codes, for failures that never reached the server. */
export const ClientErrorCodes = {
  /** WebCodecs Opus (or a secure context) is missing in this browser. */
  Unsupported: 'unsupported-browser',
  /** The visitor or the browser refused the microphone (`NotAllowedError`): it must be allowed for the site. */
  MicrophoneDenied: 'microphone-denied',
  /** The microphone could not be opened otherwise (no device, in use); the browser's error is the `cause`. */
  MicrophoneUnavailable: 'microphone-unavailable',
  /** The server could not be reached or the connection failed. */
  ConnectionFailed: 'connection-failed',
} as const;
