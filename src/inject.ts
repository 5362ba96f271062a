/**
 * The environment that brings leakwatch's preload into the test runner without touching the project: pytest finds
 * the plugin through PYTHONPATH and loads it through PYTEST_PLUGINS, and every process it starts (xdist workers
 * too) inherits both.
 */
import path from 'node:path';
import type { Runner } from './settings.js';

export const PYTEST_PLUGIN_MODULE = 'leakwatch_pytest';

export interface InjectionOptions {
  runner: Runner;
  /** Where each test process writes its records. */
  recordsDirectory: string;
  /** Tests over it are run a second time, to tell leaks from one-time costs. */
  limit: number;
  /** The directory holding leakwatch_pytest.py. */
  pythonDirectory: string;
}

export function injectionEnvironment(base: NodeJS.ProcessEnv, options: InjectionOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    LEAKWATCH_DIR: options.recordsDirectory,
    LEAKWATCH_LIMIT: String(options.limit),
  };
  switch (options.runner) {
    case 'auto':
    case 'pytest':
      env.PYTHONPATH = appendToList(base.PYTHONPATH, options.pythonDirectory, path.delimiter);
      env.PYTEST_PLUGINS = appendToList(base.PYTEST_PLUGINS, PYTEST_PLUGIN_MODULE, ',');
      break;
  }
  return env;
}

function appendToList(list: string | undefined, entry: string, separator: string): string {
  const entries = (list ?? '').split(separator).filter(Boolean);
  return entries.includes(entry) ? entries.join(separator) : [...entries, entry].join(separator);
}
