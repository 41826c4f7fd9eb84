/** An error with a stable machine-readable code: a server `error` code or one of `ClientErrorCodes`. */
export class WsAudioError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'WsAudioError';
    this.code = code;
  }
}
