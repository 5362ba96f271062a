/**
 * Mocha: a root hook plugin, loaded through MOCHA_OPTIONS so that it joins the project's own `--require`s and
 * .mocharc instead of replacing them. Root beforeEach hooks run before all others and root afterEach hooks after
 * all others, in --parallel workers too.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Recorder } from './recorder.js';

interface MochaTest {
  file?: string;
  state?: string;
  titlePath(): string[];
}

interface HookContext {
  currentTest?: MochaTest;
}

let recorder: Recorder | undefined;

export const mochaHooks = {
  beforeEach(this: HookContext): void {
    const test = this.currentTest;
    if (test === undefined) return;
    recorder ??= new Recorder('mocha', mochaVersion(), workerName());
    recorder.start(test, { titles: test.titlePath(), file: test.file ?? '', line: null });
  },
  afterEach(this: HookContext): void {
    const test = this.currentTest;
    if (test !== undefined) recorder?.finish(test, test.state === 'failed' ? 'failed' : 'passed');
  },
};

function mochaVersion(): string {
  const require = createRequire(path.join(process.cwd(), 'index.js')); // the module cache is shared by all
  const mochaFile = Object.keys(require.cache).find((file) => /[\\/]mocha[\\/]lib[\\/]/.test(file));
  if (mochaFile === undefined) return 'unknown';
  try {
    const packageFile = path.join(mochaFile.slice(0, mochaFile.search(/[\\/]lib[\\/]/)), 'package.json');
    return (JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** --parallel runs files in worker processes started from mocha's lib/nodejs/worker.js. */
function workerName(): string {
  return /[\\/]worker\.js$/.test(process.argv[1] ?? '') ? `worker ${process.pid}` : 'main';
}
