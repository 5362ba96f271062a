/**
 * Where a leak's kept memory was allocated, from its traced run after its runs alone: the places that hold what that
 * run kept, and what of the leak no place explains. Pure: the preloads trace, this weighs.
 */
import type { TracedRun } from './analyze.js';
import { median } from './confirm.js';
import { MAX_REPORTED_SITES, type TestResult, type Unattributed } from './report.js';

/** A site that holds less than this share of what the test keeps is left out: it explains nothing. */
const SMALLEST_SHARE = 0.01;

/**
 * A leak's sites, largest first, at most MAX_REPORTED_SITES, and what of what it keeps per run (`perRun`, from its
 * untraced runs alone) the tracer did not see: for pytest, memory outside Python's allocator. None when untraced.
 */
export function keptSites(
  trace: TracedRun | undefined,
  perRun: number,
  test: Pick<TestResult, 'measures' | 'confirmation'>,
): Pick<TestResult, 'sites' | 'unattributed'> {
  if (trace === undefined || trace.traced === null) return { sites: [], unattributed: null };
  const bytes = Math.max(0, perRun - trace.traced);
  return {
    sites: trace.sites
      .filter((site) => site.size > 0 && site.size >= SMALLEST_SHARE * perRun)
      .sort((a, b) => b.size - a.size)
      .slice(0, MAX_REPORTED_SITES),
    unattributed: { bytes, kind: test.measures === 'rss' ? 'native' : nodeKind(bytes, trace, test) },
  };
}

/**
 * What a Node leak's unplaced memory is: `external` when the external memory its runs alone kept, less the Buffers
 * the tracer placed, makes up most of it (a pool of small Buffers, an ArrayBuffer, a native addon's); else `unknown`
 * (heap objects the profiler did not place).
 */
function nodeKind(bytes: number, trace: TracedRun, test: Pick<TestResult, 'confirmation'>): Unattributed['kind'] {
  const external = (test.confirmation?.runs ?? []).slice(1).flatMap((run) => run.externalDelta ?? []);
  if (external.length === 0) return 'unknown';
  const unplacedExternal = Math.max(0, median(external) - (trace.external ?? 0));
  return unplacedExternal >= bytes / 2 ? 'external' : 'unknown';
}
