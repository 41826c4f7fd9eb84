import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WsAudioError } from '../errors.js';
import { checkSupport } from './support.js';

// Node has no Web Audio at all: exactly a browser that cannot run WsAudio (every other part has a fallback).
test('checkSupport_NoWebAudio_RejectsWithUnsupportedBrowserAndSaysWhy', async () => {
  await assert.rejects(checkSupport(), (error: unknown) => {
    assert.ok(error instanceof WsAudioError);
    assert.equal(error.code, 'unsupported-browser');
    assert.match(error.message, /Web Audio/);
    return true;
  });
});

// A page on plain http: AudioWorklet and WebCodecs are secure-context features, ScriptProcessorNode is not.
test('checkSupport_InsecureContext_ListensThroughTheFallbacks', async () => {
  const global = globalThis as { window?: unknown; AudioContext?: unknown; AudioWorkletNode?: unknown };
  global.window = { isSecureContext: false };
  // Node has WebAssembly, so the encoder path is the WebAssembly one (only a CSP that forbids it leaves PCM 16).
  global.AudioContext = class { createScriptProcessor(): void {} };
  global.AudioWorkletNode = class {};
  try {
    assert.deepEqual(await checkSupport(), { decode: 'wasm', encode: 'wasm', playback: 'script-processor' });
  } finally {
    delete global.window;
    delete global.AudioContext;
    delete global.AudioWorkletNode;
  }
});
