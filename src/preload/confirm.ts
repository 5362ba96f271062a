/**
 * Confirming a suspect: leakwatch runs the suite's command again with LEAKWATCH_CONFIRM naming one test (its file and
 * titles) and a number of runs. Each runner's hook then skips every other test and runs that one that many times in a
 * row, each run measured as usual; the first run may warm up, the later ones show what it keeps per run.
 */
import path from 'node:path';

export interface ConfirmTarget {
  /** Absolute. */
  file: string;
  titles: string[];
  runs: number;
}

/** The test to confirm in this run, if leakwatch is confirming one. */
export const confirmTarget: ConfirmTarget | undefined = readTarget();

function readTarget(): ConfirmTarget | undefined {
  try {
    const value = JSON.parse(process.env.LEAKWATCH_CONFIRM ?? '') as Partial<ConfirmTarget>;
    if (typeof value.file !== 'string' || !Array.isArray(value.titles) || typeof value.runs !== 'number') {
      return undefined;
    }
    return { file: path.resolve(value.file), titles: value.titles.map(String), runs: Math.max(1, value.runs) };
  } catch {
    return undefined;
  }
}

/** Whether this file holds the test being confirmed. */
export function isTargetFile(target: ConfirmTarget, file: string): boolean {
  return path.resolve(file) === target.file;
}

/** Whether these are the titles of the test being confirmed (in its file). */
export function isTargetTest(target: ConfirmTarget, titles: readonly string[]): boolean {
  return titles.length === target.titles.length && titles.every((title, index) => title === target.titles[index]);
}
