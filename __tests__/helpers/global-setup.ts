/** Before any test: a Python with pytest and pytest-xdist, installed into .venv when the machine has none. */
import type { TestProject } from 'vitest/node';
import { pathWithPytest } from '../../scripts/python-env.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PATH with pytest first. */
    pytestPath: string;
  }
}

export default function setup(project: TestProject): void {
  project.provide('pytestPath', pathWithPytest());
}
