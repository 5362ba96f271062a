/**
 * Runs alone in a shard of a matrix: each runner's sharding (pytest-split's --splits/--group, `jest --shard`,
 * `vitest --shard`, `node --test --test-shard`) chose this shard's tests from the whole suite; a run alone names only
 * the suspects' files, which a runner would shard anew and give, in part, to another shard. Every leak of the shard
 * must still be confirmed by its runs alone.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report.js';
import { FIXTURES, runCli } from './helpers/run.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-shard-confirm-'));
const jestCache = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-jest-cache-'));

async function shardReport(name: string, directory: string, command: string): Promise<Report> {
  const json = path.join(out, `${name}.json`);
  const run = await runCli(['--no-fail', '--trace', 'off', '--json', json, '--', command], directory);
  expect(run.exitCode, run.stderr).not.toBe(2);
  return JSON.parse(readFileSync(json, 'utf8')) as Report;
}

describe.each([
  [
    'pytest with a splitter run after leakwatch (pytest-split’s --group)',
    path.join(FIXTURES, 'pytest/split'),
    (shard: number) => `python -m pytest -p no:cacheprovider -p splitter --splits 2 --group ${shard}`,
    1,
  ],
  [
    'Jest --shard',
    path.join(FIXTURES, 'node/jest'),
    (shard: number) => `npx jest --maxWorkers=2 --cacheDirectory=${jestCache} --shard=${shard}/2`,
    10,
  ],
  ['Vitest --shard', path.join(FIXTURES, 'node/vitest'), (shard: number) => `npx vitest run --shard=${shard}/2`, 10],
  [
    'node --test --test-shard',
    path.join(FIXTURES, 'node/node-test'),
    (shard: number) => `node --test --test-shard=${shard}/2`,
    12,
  ],
])('%s', (name, directory, command, leaks) => {
  it('confirms every leak of each shard by its runs alone', async () => {
    const label = name.split(' ')[0] ?? name;
    const reports = [
      await shardReport(`${label}-1`, directory, command(1)),
      await shardReport(`${label}-2`, directory, command(2)),
    ];
    const leaked = reports.flatMap((report) => report.tests.filter((test) => test.leaked));
    expect(leaked.length).toBeGreaterThanOrEqual(leaks);
    for (const test of leaked) {
      expect(test.confirmation?.problem ?? null, test.id).toBe(null);
      expect(test.confirmation?.perRun, test.id).toBeGreaterThan(10_000_000);
      expect(test.verdict, test.id).toBe('leak');
    }
  });
});
