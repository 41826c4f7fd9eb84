import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WsAudioError } from '../errors.js';
import { checkSupport } from './support.js';

// Node has neither WebCodecs nor AudioWorklet: exactly a browser that cannot run WsAudio.
test('checkSupport_NoWebCodecs_RejectsWithUnsupportedBrowserAndSaysWhy', async () => {
  await assert.rejects(checkSupport(false), (error: unknown) => {
    assert.ok(error instanceof WsAudioError);
    assert.equal(error.code, 'unsupported-browser');
    assert.match(error.message, /WebCodecs/);
    return true;
  });
});

test('checkSupport_InsecureContext_RejectsNamingTheCause', async () => {
  const global = globalThis as { window?: unknown };
  global.window = { isSecureContext: false };
  try {
    await assert.rejects(checkSupport(true), /secure context/);
  } finally {
    delete global.window;
  }
});
