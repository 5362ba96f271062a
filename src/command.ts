/** Runs the test command in a shell, as a workflow's `run:` step would, with its output going straight through. */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { descendantsOf } from './process-tree.js';

export interface CommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Called once the shell has started, with its pid. */
  onStart: (pid: number) => void;
  /** `ignore`: the command's output is not shown (a run to confirm a suspect). */
  output?: 'inherit' | 'ignore';
  /** Every process of the command is killed after this long, and the exit code is TIMED_OUT. */
  timeoutMs?: number;
  /**
   * Aborted when leakwatch is cancelled (see cancelOnSignals): the command then has `graceMs` to end on the signal it
   * was passed, and is killed after that, so that what it measured can be published before the runner kills us.
   */
  cancel?: AbortSignal;
  graceMs?: number;
}

/** The exit code of a command that ran out of time, as GNU timeout gives. */
export const TIMED_OUT = 124;

/** The signals that cancel: the Actions runner's SIGINT then SIGTERM, Ctrl-C in a terminal, a closed terminal. */
const CANCELLING_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Resolves with the command's exit code; a command killed by a signal gets 128 + its number, as in bash. */
export async function runInShell(command: string, options: CommandOptions): Promise<number> {
  const child = startShell(command, options);
  // On a cancelled job or Ctrl-C the command is asked to stop, and leakwatch stays to report what was measured.
  // A terminal already sends Ctrl-C to the whole process group, so only a signal aimed at leakwatch is passed on,
  // to every process of the command: a shell running a pipeline would die and leave its commands running.
  const forward = (signal: NodeJS.Signals): void => {
    if (signal === 'SIGINT' && process.stdin.isTTY) return;
    if (child.pid === undefined) return;
    descendantsOf(child.pid)
      .then((pids) => {
        for (const pid of pids.reverse()) signalProcess(pid, signal);
      })
      .catch(() => child.kill(signal));
  };
  for (const signal of CANCELLING_SIGNALS) process.on(signal, forward);
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          forward('SIGKILL');
        }, options.timeoutMs);
  let graceTimer: NodeJS.Timeout | undefined;
  const stopAfterGrace = (): void => {
    graceTimer = setTimeout(() => {
      forward('SIGKILL');
    }, options.graceMs ?? 0);
  };
  if (options.cancel?.aborted) stopAfterGrace();
  else options.cancel?.addEventListener('abort', stopAfterGrace, { once: true });
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        if (child.pid !== undefined) options.onStart(child.pid);
      });
      child.once('close', (code, signal) => {
        resolve(timedOut ? TIMED_OUT : (code ?? 128 + (signal ? constants.signals[signal] : 0)));
      });
    });
  } finally {
    clearTimeout(timer);
    clearTimeout(graceTimer);
    options.cancel?.removeEventListener('abort', stopAfterGrace);
    for (const signal of CANCELLING_SIGNALS) process.off(signal, forward);
  }
}

/**
 * From now on the first cancelling signal aborts the returned signal (its reason is the signal's name) instead of
 * ending leakwatch, and so does every later one: leakwatch stops the command, skips confirming, publishes what was
 * measured and exits by itself. The runner sends SIGINT, SIGTERM 7.5 s later and SIGKILL 2.5 s after that.
 * `onRepeat` is told of each signal after the first (the CLI quits at a second Ctrl-C).
 */
export function cancelOnSignals(onRepeat?: (signal: NodeJS.Signals) => void): AbortSignal {
  const controller = new AbortController();
  const cancel = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) onRepeat?.(signal);
    else controller.abort(signal);
  };
  for (const signal of CANCELLING_SIGNALS) process.on(signal, cancel);
  return controller.signal;
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ended meanwhile
  }
}

function startShell(command: string, options: CommandOptions): ChildProcess {
  const spawnOptions = { cwd: options.cwd, env: options.env, stdio: options.output ?? 'inherit' } as const;
  if (process.platform === 'win32') return spawn(command, { ...spawnOptions, shell: true });
  // The shell of a `run:` step: bash without profiles, stopping at the first failure, pipes failing with their parts.
  return spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], spawnOptions);
}
