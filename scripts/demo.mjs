// `npm run demo`: leakwatch on the bundled example suite (examples/pytest), with its default settings, as a user
// would run it from a checkout. It finds the one real leak and stays quiet about the rest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathWithPytest } from './python-env.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-demo-'));
const json = path.join(out, 'leakwatch.json');
const summary = path.join(out, 'summary.md');
const env = { ...process.env, PATH: pathWithPytest(), PYTHONDONTWRITEBYTECODE: '1' };
const args = ['--no-fail', '--json', json, '--summary', summary, '--', 'pytest -p no:cacheprovider examples/pytest'];
console.log(`$ leakwatch ${args.join(' ')}\n`);
const run = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), ...args], {
  cwd: root,
  env,
  stdio: 'inherit',
});
console.log(`\nThe JSON report: ${json}\nThe job summary (Markdown): ${summary}`);
process.exitCode = run.status ?? 1;
