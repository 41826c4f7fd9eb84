import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JitterBuffer, type Playout } from './JitterBuffer.js';

const FRAME = 960;

function frame(sequence: number) {
  return { sequence, samples: new Float32Array(FRAME).fill(sequence % 100 / 100), captureTimeMicros: sequence * 20_000 };
}

function played_(p: Playout): number | 'concealed' | 'waiting' {
  return played(p);
}

function played(p: Playout): number | 'concealed' | 'waiting' {
  return p.kind === 'frame' ? p.frame.sequence : p.kind;
}

describe('JitterBuffer', () => {
  test('push_FramesHeldLongWhilePlaybackWaits_StartsAtTheLiveEdge', () => {
    // 40 s of frames arrive while the page may not play yet (autoplay policy); then playback starts.
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    for (let s = 0; s < 2000; s++) buffer.push(frame(s));
    assert.ok(buffer.stats.buffered <= 25, `at most 500 ms waits, not ${buffer.stats.buffered} frames`);
    const first = played(buffer.next());
    assert.ok(typeof first === 'number' && first >= 2000 - 25, `plays from the live edge, not frame ${first}`);
    assert.equal(buffer.stats.skipped + buffer.stats.buffered + 1, 2000, 'every frame is played or counted as skipped');
  });

  test('next_BeforeTargetFrames_Waits', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    buffer.push(frame(10));
    assert.equal(played(buffer.next()), 'waiting');
    buffer.push(frame(11));
    assert.equal(played(buffer.next()), 10);
    assert.equal(played(buffer.next()), 11);
  });

  test('next_FramesShortOfTargetWaitLongerThanTheBacklog_AreDroppedAndTheNextSpurtPlaysFresh', () => {
    // An underrun raised the target to 3 just as the sender muted: two frames wait for a third that comes only
    // when it unmutes, seconds later (the sequence runs on across a mute).
    const buffer = new JitterBuffer({ frameSamples: FRAME, maxBacklog: 25 });
    buffer.push(frame(0));
    buffer.push(frame(1));
    assert.equal(played(buffer.next()), 0);
    assert.equal(played(buffer.next()), 1);
    assert.equal(played(buffer.next()), 'waiting', 'runs dry: target 3');
    buffer.push(frame(2));
    buffer.push(frame(3));
    for (let pull = 0; pull < 200; pull++) assert.equal(played(buffer.next()), 'waiting');
    assert.equal(buffer.stats.buffered, 0, 'the two frames left from before the pause are gone');
    assert.equal(buffer.stats.skipped, 2);

    for (let s = 4; s < 7; s++) buffer.push(frame(s));
    assert.deepEqual([buffer.next(), buffer.next(), buffer.next()].map(played), [4, 5, 6], 'the new spurt plays from its first frame, nothing concealed');
    assert.equal(buffer.stats.concealed, 0);
  });

  test('next_FramesShortOfTargetWithinTheBacklog_AreKept', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME, maxBacklog: 25 });
    buffer.push(frame(0));
    for (let pull = 0; pull < 25; pull++) assert.equal(played(buffer.next()), 'waiting');
    buffer.push(frame(1));
    assert.equal(played(buffer.next()), 0);
    assert.equal(buffer.stats.skipped, 0);
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

  test('next_LongCalmAfterGrowth_ShrinksTheTarget', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME, calmFrames: 10 });
    let sequence = 0;
    buffer.push(frame(sequence++));
    buffer.push(frame(sequence++));
    buffer.next();
    buffer.next();
    buffer.next(); // underrun: target 3
    for (let i = 0; i < 3; i++) buffer.push(frame(sequence++));
    assert.equal(buffer.stats.target, 3);
    for (let i = 0; i < 10; i++) {
      buffer.next();
      buffer.push(frame(sequence++));
    }
    assert.equal(buffer.stats.target, 2);
    assert.equal(buffer.stats.skipped, 0, 'a buffer at its target loses nothing');
  });

  test('next_BurstLeavesABacklog_SkipsOneFramePerCatchUpPeriodUntilNearTarget', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME, catchUpFrames: 5 });
    let sequence = 0;
    for (let i = 0; i < 12; i++) buffer.push(frame(sequence++)); // a burst: 10 more than the target of 2
    const played: (number | string)[] = [];
    for (let i = 0; i < 60; i++) {
      played.push(played_(buffer.next()));
      buffer.push(frame(sequence++)); // then frames arrive at the playout pace
    }
    assert.ok(buffer.stats.skipped >= 8, `skipped ${buffer.stats.skipped}`);
    assert.ok(buffer.stats.buffered <= buffer.stats.target + 1, `buffered ${buffer.stats.buffered}`);
    const frames = played.filter((p): p is number => typeof p === 'number');
    assert.deepEqual(frames, [...frames].sort((a, b) => a - b), 'still in order');
    assert.ok(frames.every((f, i) => i === 0 || f - (frames[i - 1] ?? 0) <= 2), 'never more than one frame skipped at a time');
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
