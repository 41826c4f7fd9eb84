import { ClientErrorCodes } from '../protocol/codes.js';
import { WsAudioError } from '../errors.js';

const OPUS_MONO = { codec: 'opus', sampleRate: 48000, numberOfChannels: 1 } as const;

/**
 * Checks that this browser can decode (and, for senders, encode) Opus with WebCodecs. Throws a
 * {@link WsAudioError} with code `unsupported-browser` that says what is missing.
 */
export async function checkSupport(send: boolean): Promise<void> {
  if (typeof window !== 'undefined' && !window.isSecureContext) {
    throw new WsAudioError(ClientErrorCodes.Unsupported,
      'WsAudio needs a secure context: open the page over https (or from localhost); browsers hide WebCodecs on plain http.');
  }
  if (typeof AudioDecoder === 'undefined' || typeof AudioWorkletNode === 'undefined') {
    throw new WsAudioError(ClientErrorCodes.Unsupported,
      'This browser lacks WebCodecs audio or AudioWorklet; use a current Chrome, Edge, Firefox or Safari.');
  }
  const decode = await AudioDecoder.isConfigSupported(OPUS_MONO);
  if (decode.supported !== true) {
    throw new WsAudioError(ClientErrorCodes.Unsupported, 'This browser cannot decode Opus with WebCodecs.');
  }
  if (send) {
    const encode = typeof AudioEncoder === 'undefined' ? undefined : await AudioEncoder.isConfigSupported({ ...OPUS_MONO, bitrate: 32000 });
    if (encode?.supported !== true) {
      throw new WsAudioError(ClientErrorCodes.Unsupported, 'This browser cannot encode Opus with WebCodecs, so it can listen but not send.');
    }
  }
}
