/**
 * The command's process tree: its resident memory, sampled while it runs (the run's peak, and the last figure seen
 * of each process, which is all that is left to tell of a process killed mid-test), and the list of its processes.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import pidusage from 'pidusage';
import type { TreeMemory } from './analyze.js';

export interface TreeSampler {
  /** Takes one last sample and stops. */
  stop(): Promise<TreeMemory>;
}

export function sampleProcessTree(rootPid: number, intervalMs: number): TreeSampler {
  let peak: number | null = null;
  const lastSeen = new Map<number, number>();
  const lastSeenAt = new Map<number, number>();
  const started = performance.now();
  let pending: Promise<void> = Promise.resolve();

  const sample = async (): Promise<void> => {
    const pids = await descendantsOf(rootPid);
    const usage = await pidusage(pids);
    let total = 0;
    for (const pid of pids) {
      const memory = usage[pid]?.memory;
      // Ended since it was listed; or a zombie, dead but not yet reaped, whose RSS reads 0: its last figure stands.
      if (memory === undefined || memory === 0) continue;
      lastSeen.set(pid, memory);
      lastSeenAt.set(pid, (performance.now() - started) / 1000);
      total += memory;
    }
    peak = Math.max(peak ?? 0, total);
  };
  const tick = (): void => {
    // One sample at a time; a slow one (ps on macOS, PowerShell on Windows) delays the next rather than piling up.
    pending = pending.then(sample).catch(() => undefined);
  };
  tick();
  const timer = setInterval(tick, process.platform === 'win32' ? Math.max(intervalMs, 2000) : intervalMs);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await pending;
      pidusage.clear();
      return { peak, lastSeen, lastSeenAt };
    },
  };
}

/** The pid and all its descendants (a process tree leakwatch itself started: it never contains leakwatch). */
export async function descendantsOf(rootPid: number): Promise<number[]> {
  if (LISTS_CHILDREN) return linuxDescendants(rootPid);
  const parents = await parentsByPid();
  const children = new Map<number, number[]>();
  for (const [pid, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), pid]);
  const tree = [rootPid];
  for (let index = 0; index < tree.length; index += 1) {
    tree.push(...(children.get(tree[index] ?? -1) ?? []));
  }
  return tree;
}

const execFileText = promisify(execFile);

/** Every process's parent. pidusage measures given pids but cannot list them; each platform lists differently. */
async function parentsByPid(): Promise<Map<number, number>> {
  if (process.platform === 'linux') return linuxParents();
  const [file, args] =
    process.platform === 'win32'
      ? [
          'powershell.exe',
          [
            '-NoProfile',
            '-NonInteractive',
            '-Command',
            'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId) $($_.ParentProcessId)" }',
          ],
        ]
      : ['ps', ['-A', '-o', 'pid=', '-o', 'ppid=']];
  const { stdout } = await execFileText(file, args, { windowsHide: true });
  const parents = new Map<number, number>();
  for (const line of stdout.split('\n')) {
    const [pid, parent] = line.trim().split(/\s+/).map(Number);
    if (pid !== undefined && parent !== undefined && Number.isInteger(pid) && Number.isInteger(parent)) {
      parents.set(pid, parent);
    }
  }
  return parents;
}

/**
 * Linux lists each thread's children in /proc (where the kernel was built with CONFIG_PROC_CHILDREN, as distributions'
 * are): reading the tree's own processes costs a few reads each, where listing every parent reads every process of
 * the machine, twice a second.
 */
const LISTS_CHILDREN = process.platform === 'linux' && existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

async function linuxDescendants(rootPid: number): Promise<number[]> {
  const tree = [rootPid];
  for (let index = 0; index < tree.length; index += 1) {
    const pid = tree[index];
    // Any thread may have started a child (node and execnet start them from other threads than the main one).
    const threads = await readdir(`/proc/${pid}/task`).catch(() => []);
    for (const thread of threads) {
      const children = await readFile(`/proc/${pid}/task/${thread}/children`, 'latin1').catch(() => '');
      for (const child of children.split(' ')) if (child !== '') tree.push(Number(child));
    }
  }
  return tree;
}

async function linuxParents(): Promise<Map<number, number>> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const parents = new Map<number, number>();
  await Promise.all(
    pids.map(async (pid) => {
      try {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        // The command name is in parentheses and may hold spaces; the parent pid is the 2nd field after it.
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parents.set(Number(pid), parent);
      } catch {
        // ended while listing
      }
    }),
  );
  return parents;
}
