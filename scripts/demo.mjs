// `npm run demo`: leakwatch on the bundled example suites (examples/pytest, examples/jest), with its default
// settings, as a user would run it from a checkout. In each it finds the one real leak and stays quiet about the rest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathWithPytest } from './python-env.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-demo-'));
const env = { ...process.env, PATH: pathWithPytest(), PYTHONDONTWRITEBYTECODE: '1' };

const suites = [
  { name: 'pytest', cwd: root, command: 'pytest -p no:cacheprovider examples/pytest' },
  { name: 'jest', cwd: path.join(root, 'examples/jest'), command: 'npx jest --ci' },
];
let failed = false;
for (const suite of suites) {
  const json = path.join(out, `${suite.name}.json`);
  const summary = path.join(out, `${suite.name}.md`);
  const args = ['--no-fail', '--json', json, '--summary', summary, '--', suite.command];
  console.log(`\n$ cd ${path.relative(root, suite.cwd) || '.'} && leakwatch ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), ...args], {
    cwd: suite.cwd,
    env,
    stdio: 'inherit',
  });
  console.log(`\nThe JSON report: ${json}\nThe job summary (Markdown): ${summary}`);
  failed ||= run.status !== 0;
}
process.exitCode = failed ? 1 : 0;
