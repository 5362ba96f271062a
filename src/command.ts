/** Runs the test command in a shell, as a workflow's `run:` step would, with its output going straight through. */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { descendantsOf } from './process-tree.js';

export interface CommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Called once the shell has started, with its pid. */
  onStart: (pid: number) => void;
}

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
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        if (child.pid !== undefined) options.onStart(child.pid);
      });
      child.once('close', (code, signal) => {
        resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
      });
    });
  } finally {
    for (const signal of signals) process.off(signal, forward);
  }
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ended meanwhile
  }
}

function startShell(command: string, options: CommandOptions): ChildProcess {
  const spawnOptions = { cwd: options.cwd, env: options.env, stdio: 'inherit' } as const;
  if (process.platform === 'win32') return spawn(command, { ...spawnOptions, shell: true });
  // The shell of a `run:` step: bash without profiles, stopping at the first failure, pipes failing with their parts.
  return spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], spawnOptions);
}
