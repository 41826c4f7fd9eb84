import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reconnectDelay } from './backoff.js';

test('reconnectDelay_EachAttempt_DoublesUpToTheMaximum', () => {
  const middle = () => 0.5;
  assert.deepEqual([0, 1, 2, 3, 10].map((a) => reconnectDelay(a, 250, 1000, middle)), [250, 500, 1000, 1000, 1000]);
});

test('reconnectDelay_Jitter_StaysWithinTwentyPercent', () => {
  assert.equal(reconnectDelay(0, 1000, 10_000, () => 0), 800);
  assert.ok(Math.abs(reconnectDelay(0, 1000, 10_000, () => 1) - 1200) < 1e-9);
});
