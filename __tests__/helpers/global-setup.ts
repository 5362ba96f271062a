/**
 * Before any test: a Python with pytest and pytest-xdist, installed into .venv when the machine has none, and
 * Node.js 20 and 24 for node:test, installed from npm into .node-versions when this Node is another version.
 */
import type { TestProject } from 'vitest/node';
import { nodeBinary } from '../../scripts/node-binaries.mjs';
import { pathWithPytest } from '../../scripts/python-env.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PATH with pytest first. */
    pytestPath: string;
    /** `node` binaries by major version. */
    nodeBinaries: Record<20 | 24, string>;
  }
}

export default function setup(project: TestProject): void {
  project.provide('pytestPath', pathWithPytest());
  project.provide('nodeBinaries', { 20: nodeBinary(20), 24: nodeBinary(24) });
}
