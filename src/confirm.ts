/**
 * Confirmation: a suspect (a test over the limit) is run again alone, several times in a row, and judged by what each
 * run kept. A leak keeps memory run after run; a warm-up (a cache filled on first use, a lazy import) keeps it the
 * first time only; noise keeps next to nothing alone; an unstable test's runs disagree (threads keeping and freeing
 * at their own pace), even after more runs. All suspects run in one start of the command, one after another, each
 * with every other test left out; one that falls short there gets a start of its own (see sortOut). Pure: measure.ts
 * runs the tests.
 */
import type { Confirmation, Report, TestResult, Verdict } from './report.js';
import type { TracedRun } from './analyze.js';
import { keptSites } from './sites.js';

/**
 * Suspects confirmed per run of leakwatch, largest first; the rest keep their figure, as leaks. They run in one start
 * (see sortOut), so each costs its own runs only; the cap keeps a suite of many leaks from running all of them again.
 */
export const MAX_CONFIRMED = 50;

/** Why a suspect was not confirmed when leakwatch was cancelled (the job, or Ctrl-C) before or while it ran alone. */
export const CANCELLED_BEFORE = 'the job was cancelled before it was run alone';
export const CANCELLED_WHILE = 'the job was cancelled while it ran alone';

/** What the runs alone of one suspect gave: each run's figure in order, and what went wrong if they stopped short. */
export interface RunsAlone {
  runs: Confirmation['runs'];
  /** Why fewer runs than asked were recorded (the process died or hung, the test was not found), if they were. */
  problem: string | null;
}

/** What one start of runs alone recorded of a suspect it was to run. */
export interface Recorded {
  runs: Confirmation['runs'];
  /** It began a run that never finished: its process died in it, or was stopped (a hang, the cap, a cancel). */
  unfinished: boolean;
  /**
   * Much memory went while a run of it ran, more than a test keeps when it is alone (a timer or a thread of a suspect
   * before it freeing what it held, Jest freeing a file's modules): its figures are not its own.
   */
  disturbed: boolean;
}

/** Where each suspect of a start of runs alone goes next, by id. */
export interface SortedOut {
  /** Its runs stand: every run asked, or all a start of its own could get. */
  settled: string[];
  /**
   * To a start of its own: its runs fell short or were disturbed in a start shared with others, which may have caused
   * it (a process grown by their leaks until it was killed, a thread they left behind); or the command never reached
   * it, and a start of its own tells why, as it would alone. Its runs stand until that start tells more.
   */
  ownStart: string[];
  /** Not reached, after another suspect fell short (which can stop the rest): to run together again, without that one. */
  together: string[];
}

/** Sorts out a start of runs alone of `batch` (ids in the start), from what it recorded of each and the runs asked. */
export function sortOut(batch: readonly string[], recorded: ReadonlyMap<string, Recorded>, asked: number): SortedOut {
  const shared = batch.length > 1;
  const sorted: SortedOut = { settled: [], ownStart: [], together: [] };
  const notReached: string[] = [];
  for (const id of batch) {
    const { runs, unfinished, disturbed } = recorded.get(id) ?? { runs: [], unfinished: false, disturbed: false };
    if (runs.length >= asked && !disturbed) sorted.settled.push(id);
    else if (runs.length > 0 || unfinished) (shared ? sorted.ownStart : sorted.settled).push(id);
    else notReached.push(id);
  }
  const fellShort = sorted.ownStart.length > 0;
  (fellShort ? sorted.together : shared ? sorted.ownStart : sorted.settled).push(...notReached);
  return sorted;
}

/** The tests to run again, largest first: over the limit and not ignored, or with a figure that may hide a leak. */
export function suspectsOf(report: Report): TestResult[] {
  return report.tests.filter(isSuspect).sort((a, b) => b.delta - a.delta);
}

function isSuspect(test: TestResult): boolean {
  return test.verdict === 'leak' || (test.verdict === 'ok' && test.disturbed);
}

/**
 * Judges a suspect by its runs alone. The first run may warm up; the median of the later ones is what the test
 * keeps per run. At least two runs are needed to tell; with fewer, the suite's figure stands and it is reported.
 * When the later runs disagree (see disagree), the verdict is `unstable`: measure.ts then asks for more runs, and
 * judges those.
 */
export function judge(alone: RunsAlone, asked: number, limit: number): Pick<TestResult, 'verdict' | 'confirmation'> {
  const deltas = alone.runs.map((run) => run.delta);
  if (deltas.length < 2) {
    const problem = alone.problem ?? `it ran ${deltas.length} of ${asked} times alone`;
    return { verdict: 'unconfirmed', confirmation: { runs: alone.runs, perRun: null, problem } };
  }
  const later = deltas.slice(1);
  const perRun = median(later);
  const first = deltas[0] ?? 0;
  const verdict: Verdict = disagree(later, limit)
    ? 'unstable'
    : perRun > limit
      ? 'leak'
      : first > limit / 2
        ? 'warm-up'
        : 'noise';
  return { verdict, confirmation: { runs: alone.runs, perRun, problem: null } };
}

/**
 * Runs alone disagree when they spread wider than the limit and no one reading holds two thirds of them: kept more
 * than the limit, freed more than it (another thread or a collector freeing on the test's watch), or neither. So
 * with a limit of 10 MB, 57.6 and -53.9 MB or 12 and 0 MB tell nothing either way; 30, 2 and 30 MB is a leak with
 * one noisy run; 15 and 80 MB both kept; and 11, 9, 11 MB, near the limit, is for their median to decide.
 */
export function disagree(deltas: readonly number[], limit: number): boolean {
  if (Math.max(...deltas) - Math.min(...deltas) <= limit) return false;
  const reading = (delta: number): string => (delta > limit ? 'kept' : delta < -limit ? 'freed' : 'level');
  const counts = new Map<string, number>();
  for (const delta of deltas) counts.set(reading(delta), (counts.get(reading(delta)) ?? 0) + 1);
  return Math.max(...counts.values()) * 3 < deltas.length * 2;
}

/** The report with each confirmed suspect's verdict; `results` holds what each suspect's runs alone gave, by id. */
export function applyConfirmations(report: Report, results: ReadonlyMap<string, RunsAlone | string>): Report {
  const tests = report.tests.map((test): TestResult => {
    const result = results.get(test.id);
    if (result === undefined || !isSuspect(test)) return test;
    const judged =
      typeof result === 'string'
        ? { verdict: 'unconfirmed' as const, confirmation: { runs: [], perRun: null, problem: result } }
        : judge(result, report.confirmRuns, report.limit);
    // A disturbed test under the limit changes its verdict only for a leak or a warm-up shown alone.
    const verdict =
      test.verdict === 'ok' && (judged.verdict === 'noise' || judged.verdict === 'unconfirmed') ? 'ok' : judged.verdict;
    return { ...test, ...judged, verdict, leaked: verdict === 'leak' || verdict === 'unconfirmed' };
  });
  return { ...report, tests };
}

/** The report with each Node leak's sites, from the traced runs of a start of their own (by id). */
export function withTraces(report: Report, traces: ReadonlyMap<string, TracedRun>): Report {
  const tests = report.tests.map((test): TestResult => {
    const perRun = test.confirmation?.perRun ?? null;
    if (test.verdict !== 'leak' || perRun === null || !traces.has(test.id)) return test;
    return { ...test, ...keptSites(traces.get(test.id), perRun, test) };
  });
  return { ...report, tests };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
