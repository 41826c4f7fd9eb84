/** An error with a stable machine-readable code: a server `error` code or one of `ClientErrorCodes`. */
export class WsAudioError extends Error {
  readonly code: string;

  constructor(code: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'WsAudioError';
    this.code = code;
  }
}
