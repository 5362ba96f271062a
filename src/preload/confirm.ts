/**
 * Confirming suspects: leakwatch runs the suite's command again with LEAKWATCH_CONFIRM naming the suspects (each one's
 * file and titles) and a number of runs. Each runner's hook then skips every other test and runs each suspect that
 * many times in a row, each run measured as usual; the first run may warm up, the later ones show what it keeps per run.
 */
import path from 'node:path';

export interface ConfirmTargets {
  tests: { /** Absolute. */ file: string; titles: string[] }[];
  /** Runs of each test, one after another. */
  runs: number;
}

/**
 * With LEAKWATCH_TRACE `last-run`, leakwatch is tracing where confirmed leaks' memory was allocated, in a start of
 * their own after the runs alone: the last run of each is traced (see tracer.ts), the ones before it warm it up.
 */
export const tracing = process.env.LEAKWATCH_CONFIRM !== undefined && process.env.LEAKWATCH_TRACE === 'last-run';

/** The tests to confirm in this run, if leakwatch is confirming. */
export const confirmTargets: ConfirmTargets | undefined = readTargets();

/** The runs of each test before the traced one, when tracing. */
export const measuredRuns = Math.max(1, (confirmTargets?.runs ?? 1) - 1);

function readTargets(): ConfirmTargets | undefined {
  try {
    const value = JSON.parse(process.env.LEAKWATCH_CONFIRM ?? '') as { tests?: unknown; runs?: unknown };
    if (!Array.isArray(value.tests) || typeof value.runs !== 'number') return undefined;
    const tests = (value.tests as { file?: unknown; titles?: unknown }[]).flatMap((test) =>
      typeof test.file === 'string' && Array.isArray(test.titles)
        ? [{ file: path.resolve(test.file), titles: test.titles.map(String) }]
        : [],
    );
    return { tests, runs: Math.max(1, value.runs) };
  } catch {
    return undefined;
  }
}

/** The titles of the tests being confirmed in this file. */
export function targetTitlesIn(targets: ConfirmTargets, file: string): string[][] {
  const resolved = path.resolve(file);
  return targets.tests.filter((test) => test.file === resolved).map((test) => test.titles);
}

/** Whether the test of these titles, in this file, is being confirmed. */
export function isTarget(targets: ConfirmTargets, file: string, titles: readonly string[]): boolean {
  return targetTitlesIn(targets, file).some((wanted) => sameTitles(wanted, titles));
}

function sameTitles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((title, index) => title === b[index]);
}

/**
 * The arguments without an option's uses (`--shard=1/3`, `--shard 1/3`): a run alone names the suspects' files, and a
 * runner that sharded those anew (Jest, Vitest) would leave them to another shard, and run nothing.
 */
export function withoutOption(args: readonly string[], option: string): string[] {
  return args.filter((arg, index) => arg !== option && !arg.startsWith(`${option}=`) && args[index - 1] !== option);
}
