/**
 * Before any test: a Python with pytest and pytest-xdist, installed into .venv when the machine has none, and
 * Node.js 20 and 24 for node:test, installed from npm into .node-versions when this Node is another version, and
 * the other Jest, Vitest and Mocha versions tested, into .runner-versions.
 */
import type { TestProject } from 'vitest/node';
import { nodeBinary } from '../../scripts/node-binaries.mjs';
import { installRunnerVersions } from '../../scripts/runner-versions.mjs';
import { pathWithPytest } from '../../scripts/python-env.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PATH with pytest first. */
    pytestPath: string;
    /** `node` binaries by major version. */
    nodeBinaries: Record<20 | 24, string>;
    /** By name (jest-29.0, mocha-10.4...), a folder whose node_modules holds that runner version. */
    runnerVersions: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const runnerVersions = installRunnerVersions(); // meanwhile
  project.provide('pytestPath', pathWithPytest());
  project.provide('nodeBinaries', { 20: nodeBinary(20), 24: nodeBinary(24) });
  project.provide('runnerVersions', await runnerVersions);
}
