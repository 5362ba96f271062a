/**
 * Before any test: a Python with pytest and pytest-xdist, installed into .venv when the machine has none, and one
 * each on the oldest and newest Python leakwatch supports, in .venv-3.9 and .venv-3.13 (made once, then kept), and
 * Node.js 20, 22 and 24 for node:test, installed from npm into .node-versions when this Node is another version, and
 * the other Jest, Vitest and Mocha versions tested, into .runner-versions, and Debian's Chromium for the browser test.
 */
import type { TestProject } from 'vitest/node';
import { ensureChromium } from '../../scripts/github-page.mjs';
import { nodeBinary } from '../../scripts/node-binaries.mjs';
import { installRunnerVersions } from '../../scripts/runner-versions.mjs';
import { pathWithPytest, pathWithPytestOn } from '../../scripts/python-env.mjs';

/** The oldest and newest Python versions leakwatch supports, each tested. */
export type PythonVersion = '3.9' | '3.13';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PATH with pytest first. */
    pytestPath: string;
    /** By Python version, PATH with pytest on that Python first. */
    pythonPaths: Record<PythonVersion, string>;
    /** `node` binaries by major version. */
    nodeBinaries: Record<20 | 22 | 24, string>;
    /** By name (jest-29.0, mocha-10.4...), a folder whose node_modules holds that runner version. */
    runnerVersions: Record<string, string>;
    /** Headless Chromium, for the browser test. */
    chromium: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const runnerVersions = installRunnerVersions(); // meanwhile
  const pythonPaths = Promise.all([pathWithPytestOn('3.9'), pathWithPytestOn('3.13')]); // meanwhile too
  project.provide('pytestPath', pathWithPytest());
  project.provide('chromium', ensureChromium());
  project.provide('nodeBinaries', { 20: nodeBinary(20), 22: nodeBinary(22), 24: nodeBinary(24) });
  const [[oldest, newest], versions] = await Promise.all([pythonPaths, runnerVersions]);
  project.provide('pythonPaths', { '3.9': oldest, '3.13': newest });
  project.provide('runnerVersions', versions);
}
