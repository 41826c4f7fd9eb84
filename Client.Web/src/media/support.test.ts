import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WsAudioError } from '../errors.js';
import { checkSupport } from './support.js';

// Node has no AudioWorklet: exactly a browser that cannot run WsAudio (WebCodecs alone has a fallback).
test('checkSupport_NoAudioWorklet_RejectsWithUnsupportedBrowserAndSaysWhy', async () => {
  await assert.rejects(checkSupport(), (error: unknown) => {
    assert.ok(error instanceof WsAudioError);
    assert.equal(error.code, 'unsupported-browser');
    assert.match(error.message, /AudioWorklet/);
    return true;
  });
});

test('checkSupport_InsecureContext_RejectsNamingTheCause', async () => {
  const global = globalThis as { window?: unknown };
  global.window = { isSecureContext: false };
  try {
    await assert.rejects(checkSupport(), /secure context/);
  } finally {
    delete global.window;
  }
});
