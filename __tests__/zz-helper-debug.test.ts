import path from 'node:path';
import { it, inject } from 'vitest';
import { FIXTURES, runAction } from './helpers/run.js';
it('x', async () => {
  const run = await runAction({
    inputs: { command: process.env.CMD!.replace('N24', inject('nodeBinaries')[24]), 'working-directory': process.env.DIR!, limit: '10MB', confirm: process.env.CONFIRM ?? '0' },
    workspace: path.join(FIXTURES, 'node'),
  });
  console.log(JSON.stringify({ tests: run.report?.tests.map((t) => [t.id, t.verdict, Math.round(t.delta / 1e5) / 10, t.confirmation?.runs.map((r) => Math.round(r.delta / 1e5) / 10)]), unmeasured: run.report?.unmeasured, coverage: run.report?.coverage, warnings: run.report?.warnings, incomplete: run.report?.incomplete }, null, 1));
  console.log(run.stdout.slice(-1500));
});
