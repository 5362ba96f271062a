// Other versions of the Node test runners than the ones in package.json, for leakwatch's own tests: the oldest and
// newest of each supported major, and one too old to be supported. Each is installed once from npm into
// .runner-versions/<name>, all at the same time, and kept there (the folder is git-ignored).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Jest's own packages, released together: an old Jest's lockfile holds all of them at its version. */
const JEST_PACKAGES = [
  ...[
    'console',
    'core',
    'environment',
    'expect',
    'expect-utils',
    'fake-timers',
    'globals',
    'reporters',
    'schemas',
    'source-map',
    'test-result',
    'test-sequencer',
    'transform',
    'types',
  ].map((name) => `@jest/${name}`),
  ...['babel-jest', 'babel-plugin-jest-hoist', 'babel-preset-jest'],
  ...[
    'changed-files',
    'circus',
    'cli',
    'config',
    'diff',
    'docblock',
    'each',
    'environment-node',
    'get-type',
    'haste-map',
    'leak-detector',
    'matcher-utils',
    'message-util',
    'mock',
    'regex-util',
    'resolve',
    'resolve-dependencies',
    'runner',
    'runtime',
    'snapshot',
    'util',
    'validate',
    'watcher',
    'worker',
  ].map((name) => `jest-${name}`),
];

/**
 * Jest at one minor version, its own packages held to that minor version as its lockfile would.
 * @param {string} version
 */
const jestAt = (version) => ({
  dependencies: { jest: version },
  overrides: Object.fromEntries(JEST_PACKAGES.map((name) => [name, `~${version.replace(/\.\d+$/, '.0')}`])),
});

/** By name, what its folder's package.json installs. Jest 30, Vitest 4 and Mocha 11 are leakwatch's own. */
export const RUNNER_VERSIONS = {
  'jest-29.0': jestAt('29.0.3'),
  'jest-29.7': { dependencies: { jest: '29.7.0' } },
  'vitest-3.0': { dependencies: { vitest: '3.0.0' } },
  'vitest-3.2': { dependencies: { vitest: '3.2.7' } },
  'mocha-10.4': { dependencies: { mocha: '10.4.0' } },
  'mocha-10.5': { dependencies: { mocha: '10.5.0' } },
  'mocha-10.8': { dependencies: { mocha: '10.8.2' } },
};

/**
 * @returns {Promise<Record<string, string>>} by name, the folder whose node_modules holds that version
 */
export async function installRunnerVersions() {
  const entries = Object.entries(RUNNER_VERSIONS).map(([name, manifest]) => {
    const prefix = path.join(root, '.runner-versions', name);
    return { name, prefix, manifest: JSON.stringify({ private: true, ...manifest }, null, 2) };
  });
  // The manifest is written last, once its install is done: a folder whose manifest matches is complete.
  const missing = entries.filter(({ prefix, manifest }) => readText(path.join(prefix, 'installed.json')) !== manifest);
  if (missing.length > 0)
    console.error(`Installing ${missing.map(({ name }) => name).join(', ')} into .runner-versions ...`);
  await Promise.all(
    missing.map(async ({ prefix, manifest }) => {
      rmSync(prefix, { recursive: true, force: true });
      mkdirSync(prefix, { recursive: true });
      writeFileSync(path.join(prefix, 'package.json'), manifest);
      await npmInstall(prefix);
      writeFileSync(path.join(prefix, 'installed.json'), manifest);
    }),
  );
  return Object.fromEntries(entries.map(({ name, prefix }) => [name, prefix]));
}

/** @param {string} file */
function readText(file) {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/**
 * @param {string} prefix
 * @returns {Promise<void>}
 */
function npmInstall(prefix) {
  const args = ['install', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix];
  return new Promise(
    /** @type {(resolve: () => void, reject: (error: Error) => void) => void} */ (resolve, reject) => {
      const child = spawn('npm', args, { stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
      child.once('error', reject);
      child.once('exit', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`npm ${args.join(' ')} exited with ${code}`));
      });
    },
  );
}
