/**
 * Where a leak's kept memory was allocated, from its traced run after its runs alone: the places that hold what that
 * run kept, and what of the leak no place explains. Pure: the preloads trace, this weighs.
 */
import type { TracedRun } from './analyze.js';
import { MAX_REPORTED_SITES, type TestResult } from './report.js';

/** A site that holds less than this share of what the test keeps is left out: it explains nothing. */
const SMALLEST_SHARE = 0.01;

/**
 * A leak's sites, largest first, at most MAX_REPORTED_SITES, and what of what it keeps per run (`perRun`, from its
 * untraced runs alone) the tracer did not see: for pytest, memory outside Python's allocator. None when untraced.
 */
export function keptSites(
  trace: TracedRun | undefined,
  perRun: number,
  measures: TestResult['measures'],
): Pick<TestResult, 'sites' | 'unattributed'> {
  if (trace === undefined || trace.traced === null) return { sites: [], unattributed: null };
  return {
    sites: trace.sites
      .filter((site) => site.size > 0 && site.size >= SMALLEST_SHARE * perRun)
      .sort((a, b) => b.size - a.size)
      .slice(0, MAX_REPORTED_SITES),
    unattributed: {
      bytes: Math.max(0, perRun - trace.traced),
      // Node: heap objects the profiler did not place (Jest, Vitest), memory outside Buffers, a native addon's.
      kind: measures === 'rss' ? 'native' : 'unknown',
    },
  };
}
