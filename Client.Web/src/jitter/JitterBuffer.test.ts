import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JitterBuffer, type Playout } from './JitterBuffer.js';

const FRAME = 960;

function frame(sequence: number) {
  return { sequence, samples: new Float32Array(FRAME).fill(sequence % 100 / 100), captureTimeMicros: sequence * 20_000 };
}

function played(p: Playout): number | 'concealed' | 'waiting' {
  return p.kind === 'frame' ? p.frame.sequence : p.kind;
}

describe('JitterBuffer', () => {
  test('next_BeforeTargetFrames_Waits', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    buffer.push(frame(10));
    assert.equal(played(buffer.next()), 'waiting');
    buffer.push(frame(11));
    assert.equal(played(buffer.next()), 10);
    assert.equal(played(buffer.next()), 11);
  });

  test('push_Reordered_PlaysInSequenceOrder', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME, minTarget: 3 });
    for (const s of [5, 3, 4, 7, 6]) buffer.push(frame(s));
    assert.deepEqual([1, 2, 3, 4, 5].map(() => played(buffer.next())), [3, 4, 5, 6, 7]);
    assert.equal(buffer.stats.concealed, 0);
  });

  test('next_MissingFrameWithLaterOnesHere_ConcealsInsteadOfStalling', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    for (const s of [0, 1, 3, 4]) buffer.push(frame(s));
    assert.deepEqual([0, 1, 2, 3, 4].map(() => played(buffer.next())), [0, 1, 'concealed', 3, 4]);
    assert.equal(buffer.stats.concealed, 1);
  });

  test('next_Concealment_RepeatsTheLastFrameQuieterThenFadesOut', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    for (const s of [50, 51, 55]) buffer.push(frame(s));
    buffer.next();
    buffer.next();
    const first = buffer.next();
    const second = buffer.next();
    const third = buffer.next();
    assert.ok(first.kind === 'concealed' && second.kind === 'concealed' && third.kind === 'concealed');
    assert.equal(first.samples[0], Math.fround(Math.fround(0.51) * 0.5));
    assert.equal(second.samples[0], Math.fround(Math.fround(0.51) * 0.25));
    assert.equal(third.samples[0], 0);
  });

  test('push_FrameWhoseTurnPassed_IsLateAndGrowsTheTarget', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    for (const s of [0, 1, 3]) buffer.push(frame(s));
    buffer.next();
    buffer.next();
    buffer.next(); // 2 concealed
    buffer.push(frame(2));
    assert.equal(buffer.stats.late, 1);
    assert.equal(buffer.stats.target, 3);
    assert.equal(played(buffer.next()), 3);
  });

  test('next_RunsDry_CountsUnderrunAndRefillsToALargerTarget', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    buffer.push(frame(0));
    buffer.push(frame(1));
    buffer.next();
    buffer.next();
    assert.equal(played(buffer.next()), 'waiting');
    assert.equal(buffer.stats.underruns, 1);
    assert.equal(buffer.stats.target, 3);
    buffer.push(frame(2));
    buffer.push(frame(3));
    assert.equal(played(buffer.next()), 'waiting', 'needs three frames now');
    buffer.push(frame(4));
    assert.deepEqual([1, 2, 3].map(() => played(buffer.next())), [2, 3, 4], 'resumes where it stopped, losing nothing');
  });

  test('next_LongCalmAfterGrowth_ShrinksTargetAndSkipsSurplus', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME, calmFrames: 10 });
    let sequence = 0;
    buffer.push(frame(sequence++));
    buffer.push(frame(sequence++));
    buffer.next();
    buffer.next();
    buffer.next(); // underrun: target 3
    for (let i = 0; i < 6; i++) buffer.push(frame(sequence++));
    assert.equal(buffer.stats.target, 3);
    for (let i = 0; i < 10; i++) {
      buffer.next();
      buffer.push(frame(sequence++));
    }
    assert.equal(buffer.stats.target, 2);
    assert.equal(buffer.stats.skipped, 1, 'one surplus frame per calm period is dropped, so the delay falls gently');
    assert.equal(buffer.stats.buffered, 5, 'six were waiting; one was skipped');
  });

  test('sequence_WrapsAt2Pow32_StaysInOrder', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    for (const s of [0xfffffffe, 0xffffffff, 0, 1]) buffer.push(frame(s));
    assert.deepEqual([1, 2, 3, 4].map(() => played(buffer.next())), [0xfffffffe, 0xffffffff, 0, 1]);
  });

  test('push_Duplicate_IsIgnored', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    buffer.push(frame(0));
    buffer.push(frame(0));
    assert.equal(buffer.stats.received, 1);
  });
});
