/**
 * Confirming every suspect in one start of the command: real pytest runs through the bundled action (a suspect that
 * kills the process they share, a command slow to start), and the pure parts that decide who runs where.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sortOut, type Recorded } from '../src/confirm.js';
import { fitInFreeMemory } from '../src/measure.js';
import { FIXTURES, runAction } from './helpers/run.js';

const workspace = path.join(FIXTURES, 'pytest');
const MB = 1_000_000;

describe('suspects of a pytest-xdist suite confirmed together, one killing the process they share, one failing to import', () => {
  it('keeps the runs of the others, runs the ones after the crash again, and gives the two a start of their own', async () => {
    const imported = path.join(mkdtempSync(path.join(os.tmpdir(), 'leakwatch-together-')), 'imported');
    const run = await runAction({
      inputs: { command: 'pytest -n 2 dies-together', limit: '10MB' },
      workspace,
      env: { IMPORTED_IN_A_RUN_ALONE: imported },
    });
    const byName = new Map(run.report?.tests.map((test) => [test.id.split('::').at(-1), test]));
    const kept = (name: string): number[] =>
      byName.get(name)?.confirmation?.runs.map((alone) => Math.round(alone.delta / MB)) ?? [];
    // Each ran alone 3 times in one process, xdist off (the tests fail if they run alone in a worker).
    expect(kept('test_leak_before_the_crash')).toEqual([20, 20, 20]);
    expect(kept('test_leak_after_the_crash')).toEqual([25, 25, 25]);
    expect(kept('test_warm_up_after_the_crash')).toEqual([20, 0, 0]);
    for (const name of ['test_leak_before_the_crash', 'test_leak_after_the_crash', 'test_warm_up_after_the_crash']) {
      expect(byName.get(name)?.confirmation?.runs.map((alone) => alone.outcome)).toEqual(Array(3).fill('passed'));
    }
    expect(byName.get('test_leak_before_the_crash')?.verdict).toBe('leak');
    expect(byName.get('test_leak_after_the_crash')?.verdict).toBe('leak');
    expect(byName.get('test_warm_up_after_the_crash')?.verdict).toBe('warm-up');
    // In a start of its own it died again on its second run: the suite's figure stands, unconfirmed.
    expect(byName.get('test_leaks_then_kills_its_process')).toMatchObject({
      verdict: 'unconfirmed',
      leaked: true,
      confirmation: { perRun: null, problem: 'its process died on run 2 alone' },
    });
    expect(kept('test_leaks_then_kills_its_process')).toEqual([30]);
    expect(byName.get('test_leak_in_a_file_that_breaks_alone')).toMatchObject({
      verdict: 'unconfirmed',
      confirmation: { runs: [], problem: 'it ran 0 of 3 times alone (the command exited with 1)' },
    });
    // A file is imported in runs alone only when it holds a suspect.
    const quiet = byName.get('test_quiet');
    expect(quiet?.leaked).toBe(false);
    expect(existsSync(imported)).toBe(quiet?.confirmation !== null);
    expect(run.stdout).toMatch(
      /^leakwatch: dies-together\/test_b_dies\.py::test_leaks_then_kills_its_process: with the other suspects, 30\.0 MB; its process died on run 2 alone; running it again in a start of its own$/m,
    );
    // All together, then the ones the crash kept from running, then each of the two on its own.
    expect(run.stdout).toMatch(/^leakwatch: confirming took [\d.]+ s, the suite [\d.]+ s \(4 starts\)$/m);
  });
});

describe('20 suspects of a command that takes 2 s to start', () => {
  it('are confirmed in one start of it, not one each', async () => {
    const run = await runAction({ inputs: { command: 'pytest -n 2 slow-start', limit: '1MB' }, workspace });
    expect(run.report?.tests.map((test) => test.verdict)).toEqual(Array(20).fill('leak'));
    expect(run.report?.tests.every((test) => test.confirmation?.runs.length === 3)).toBe(true);
    const took = /^leakwatch: confirming took ([\d.]+) s, the suite [\d.]+ s \(1 start\)$/m.exec(run.stdout);
    expect(took, run.stdout).not.toBeNull();
    // One start (2 s of it sleeping) and 60 short runs; a start per suspect would take 40 s at least.
    expect(Number(took?.[1])).toBeLessThan(10);
  });
});

describe('sorting out a start of runs alone', () => {
  const ran = (count: number, more: Partial<Recorded> = {}): Recorded => ({
    runs: Array.from({ length: count }, () => ({ delta: 20 * MB, outcome: 'passed', allocatedBlocks: null })),
    unfinished: false,
    disturbed: false,
    ...more,
  });

  it('settles the suspects that ran every time asked, undisturbed', () => {
    expect(
      sortOut(
        ['a', 'b'],
        new Map([
          ['a', ran(3)],
          ['b', ran(3)],
        ]),
        3,
      ),
    ).toEqual({
      settled: ['a', 'b'],
      ownStart: [],
      together: [],
    });
  });

  it('gives one that fell short or was disturbed a start of its own, and runs the ones not reached together again', () => {
    const recorded = new Map([
      ['before', ran(3)],
      ['died', ran(1, { unfinished: true })],
      ['disturbed', ran(3, { disturbed: true })],
    ]);
    expect(sortOut(['before', 'died', 'disturbed', 'after'], recorded, 3)).toEqual({
      settled: ['before'],
      ownStart: ['died', 'disturbed'],
      together: ['after'],
    });
  });

  it('gives the ones not reached a start of their own when nothing fell short, and settles a start of its own', () => {
    expect(sortOut(['ran', 'missing'], new Map([['ran', ran(3)]]), 3)).toMatchObject({
      ownStart: ['missing'],
      together: [],
    });
    // Alone in its start, what it got stands: a hang, a death, or not found at all.
    expect(sortOut(['hung'], new Map([['hung', ran(0, { unfinished: true })]]), 3).settled).toEqual(['hung']);
    expect(sortOut(['missing'], new Map(), 3).settled).toEqual(['missing']);
  });
});

describe('fitting runs alone in free memory', () => {
  const suspect = (delta: number, titles: string[] | null = null) => ({ delta, file: 'a.test.js', titles });

  it('takes the suspects whose runs fit together, leaves the rest for later, and refuses those too large alone', () => {
    const tests = [suspect(500), suspect(300), suspect(250), suspect(100), suspect(-900)];
    expect(fitInFreeMemory(tests, 3, 2000)).toEqual({
      batch: [suspect(500), suspect(100), suspect(-900)],
      left: [suspect(300), suspect(250)],
      tooLarge: [],
    });
    expect(fitInFreeMemory([suspect(600)], 3, 1500)).toEqual({ batch: [], left: [], tooLarge: [suspect(600)] });
  });

  it('leaves a subtest of a suspect in the batch for another start: each run of the outer one runs it again', () => {
    const outer = suspect(300, ['outer']);
    const inner = suspect(200, ['outer', 'inner']);
    const beside = suspect(100, ['outerwear']);
    expect(fitInFreeMemory([inner, outer, beside], 3, 1e9)).toEqual({
      batch: [inner, beside],
      left: [outer],
      tooLarge: [],
    });
    expect(fitInFreeMemory([{ ...inner, file: 'b.test.js' }, outer], 3, 1e9).left).toEqual([]);
  });
});
