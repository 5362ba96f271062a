/**
 * The environment that brings leakwatch's preload into the test runner without touching the project:
 * - pytest finds the plugin through PYTHONPATH and loads it through PYTEST_PLUGINS;
 * - Node runners load the preload through NODE_OPTIONS (Jest, Vitest, node:test) or as a Mocha root hook plugin
 *   through MOCHA_OPTIONS, which Mocha merges with the project's .mocharc and command line.
 * Every process the runner starts (xdist and Jest workers, node:test's per-file processes) inherits them.
 */
import path from 'node:path';
import type { Runner, Trace } from './settings.js';

export const PYTEST_PLUGIN_MODULE = 'leakwatch_pytest';

export interface InjectionOptions {
  /** `auto` when leakwatch could not tell the runner from the command: then every runner is prepared. */
  runner: Runner;
  /** Where each test process writes its records. */
  recordsDirectory: string;
  /** Tests over it are run a second time, to tell leaks from one-time costs. */
  limit: number;
  /**
   * The runs alone each suspect will get; 0: none, so the suite's figures are the verdict, and the preloads settle
   * every one near the limit with a full collection, however long that takes.
   */
  confirmRuns: number;
  /** Whether runs alone trace allocations. */
  trace: Trace;
  /** The directory holding leakwatch_pytest.py. */
  pythonDirectory: string;
  /** The Node preload, dist/preload/node.cjs. */
  nodePreload: string;
}

export function injectionEnvironment(base: NodeJS.ProcessEnv, options: InjectionOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...runStepEnvironment(base),
    LEAKWATCH_DIR: options.recordsDirectory,
    LEAKWATCH_LIMIT: String(options.limit),
    LEAKWATCH_CONFIRM_RUNS: String(options.confirmRuns),
    LEAKWATCH_TRACE: options.trace,
    LEAKWATCH_RUNNER: options.runner,
  };
  const wanted = (runner: Runner): boolean => options.runner === runner || options.runner === 'auto';
  if (wanted('pytest')) {
    env.PYTHONPATH = appendToList(base.PYTHONPATH, options.pythonDirectory, path.delimiter);
    env.PYTEST_PLUGINS = appendToList(base.PYTEST_PLUGINS, PYTEST_PLUGIN_MODULE, ',');
  }
  const requirePreload = `--require ${quoteForNode(options.nodePreload)}`;
  // Mocha too: in a Mocha too old to read MOCHA_OPTIONS, the preload says that it cannot measure it.
  if (wanted('jest') || wanted('vitest') || wanted('node-test') || wanted('mocha')) {
    env.NODE_OPTIONS = appendOption(base.NODE_OPTIONS, requirePreload);
  }
  if (wanted('mocha')) env.MOCHA_OPTIONS = appendOption(base.MOCHA_OPTIONS, requirePreload);
  return env;
}

/**
 * What the Actions runner gives a JavaScript action and not a `run:` step: the action's inputs (its token among them),
 * the runtime's credentials and service addresses (artifacts, cache, results, OIDC tokens), the action's state file.
 * The test command is a pull request's code: it gets what a `run:` step would have, and none of these.
 */
const ACTION_ONLY =
  /^(INPUT_|ACTIONS_RUNTIME_|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_CACHE_|ACTIONS_RESULTS_URL$|GITHUB_STATE$)/i;

export function runStepEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !ACTION_ONLY.test(name)));
}

function appendToList(list: string | undefined, entry: string, separator: string): string {
  const entries = (list ?? '').split(separator).filter(Boolean);
  return entries.includes(entry) ? entries.join(separator) : [...entries, entry].join(separator);
}

function appendOption(options: string | undefined, option: string): string {
  return options?.includes(option) ? options : [options, option].filter(Boolean).join(' ');
}

/** NODE_OPTIONS and MOCHA_OPTIONS split on spaces outside double quotes; forward slashes need no escaping. */
function quoteForNode(file: string): string {
  return JSON.stringify(file.split(path.sep).join('/'));
}
