import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { decodeFrame, encodeFrame, isEndOfStream } from './frame.js';
import { parseServerMessage, serializeClientMessage, type ClientMessage } from './messages.js';

interface Vectors {
  frames: { name: string; hex: string; fields: Record<string, number | string | boolean> }[];
  invalidFrames: { name: string; hex: string; error: string }[];
  messages: { name: string; from: 'client' | 'server'; json: string }[];
}

const vectors = JSON.parse(readFileSync(new URL('../../../docs/protocol-vectors.json', import.meta.url), 'utf8')) as Vectors;
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

describe('frame codec against docs/protocol-vectors.json', () => {
  for (const vector of vectors.frames) {
    test(`decodeFrame_${vector.name}_YieldsItsFields`, () => {
      const frame = decodeFrame(fromHex(vector.hex));
      assert.ok(typeof frame !== 'string', `not a frame: ${String(frame)}`);
      const f = vector.fields;
      assert.equal(frame.header.codec, f.codec);
      assert.equal(frame.header.flags, f.flags);
      assert.equal(isEndOfStream(frame.header), f.endOfStream);
      assert.equal(frame.header.streamId, f.streamId);
      assert.equal(frame.header.sequence, f.sequence);
      assert.equal(frame.header.timestamp, f.timestamp);
      assert.equal(frame.header.captureTimeMicros, f.captureTimeMicros);
      assert.equal(toHex(frame.payload), f.payloadHex);
    });

    test(`encodeFrame_${vector.name}_ReproducesTheBytes`, () => {
      const frame = decodeFrame(fromHex(vector.hex));
      assert.ok(typeof frame !== 'string');
      assert.equal(toHex(encodeFrame(frame.header, frame.payload)), vector.hex);
    });
  }

  for (const vector of vectors.invalidFrames) {
    test(`decodeFrame_${vector.name}_Is${vector.error}`, () => {
      assert.equal(decodeFrame(fromHex(vector.hex)), vector.error);
    });
  }
});

describe('control messages against docs/protocol-vectors.json', () => {
  for (const vector of vectors.messages) {
    if (vector.from === 'server') {
      test(`parseServerMessage_${vector.name}_KeepsEveryField`, () => {
        assert.deepEqual(parseServerMessage(vector.json), JSON.parse(vector.json));
      });
    } else {
      test(`serializeClientMessage_${vector.name}_WritesTheGoldenJson`, () => {
        assert.equal(serializeClientMessage(JSON.parse(vector.json) as ClientMessage), vector.json);
      });
    }
  }

  test('parseServerMessage_NotJsonOrUnknownType_IsUndefined', () => {
    assert.equal(parseServerMessage('nope'), undefined);
    assert.equal(parseServerMessage('{"type":"join","room":"x"}'), undefined);
    assert.equal(parseServerMessage('{"type":"future-thing"}'), undefined);
  });
});
