/**
 * Pictures of the memory, as Mermaid `xychart-beta` blocks, which GitHub draws in comments and job summaries: what a
 * process held after each test, in the order they ran (a leak is a staircase that never comes down, a warm-up one
 * step), and the tests that kept the most. Only numbers and leakwatch's own words go into a block: a test's name is
 * cut to letters, digits and a few marks, so no id can end the block or become Mermaid's syntax.
 */
import { keptSize, type TestResult } from '../report.js';
import { shortName } from './annotations.js';

/** Points of a line, at most: GitHub draws a few hundred well; more are thinned, keeping each stretch's highest. */
const MOST_POINTS = 300;
/** Tests in the bar chart, at most. */
const MOST_BARS = 10;
const MB = 1_000_000;

/** What one process held after each test, in the order they ran: the process that kept the most, to be drawn. */
export interface MemorySeries {
  /** The process's name: its worker, and in a merged report its shard. */
  process: string;
  /** How many processes there were in all, drawn or not. */
  processes: number;
  /** What it held after each test, in MB, at most MOST_POINTS of them (each stretch by its highest). */
  values: number[];
  /** Its tests: more than `values` where they were thinned. */
  tests: number;
  /** What its tests kept, summed: how the process that kept the most is chosen. */
  kept: number;
  measures: TestResult['measures'];
}

/**
 * The process that kept the most, of `tests` (one run's), and what it held after each of its tests. Undefined with
 * under 2 tests, or when the order is not known: several processes under one name (node:test's files), or a report
 * from before leakwatch wrote it. `shard` names the run in a merged report.
 */
export function memorySeries(tests: readonly TestResult[], shard?: string): MemorySeries | undefined {
  const byProcess = new Map<string, TestResult[]>();
  for (const test of tests) {
    const own = byProcess.get(test.worker) ?? [];
    own.push(test);
    byProcess.set(test.worker, own);
  }
  const ordered = [...byProcess].flatMap(([worker, own]): [string, TestResult[]][] => {
    const order = own.map((test) => test.order);
    if (order.some((place) => place === undefined) || new Set(order).size < order.length) return [];
    return [[worker, [...own].sort((a, b) => (a.order ?? 0) - (b.order ?? 0))]];
  });
  const keptBy = (own: TestResult[]): number => own.reduce((sum, test) => sum + Math.max(0, test.delta), 0);
  const [worker, own] = ordered.sort((a, b) => keptBy(b[1]) - keptBy(a[1]))[0] ?? [];
  if (worker === undefined || own === undefined || own.length < 2) return undefined;
  return {
    process: shard === undefined ? worker : `${worker} of shard ${shard}`,
    processes: byProcess.size,
    values: thinned(own.map((test) => test.after / MB)),
    tests: own.length,
    kept: keptBy(own),
    measures: own[0]?.measures ?? 'rss',
  };
}

/** A line of what `series`' process held after each test; undefined without a series. */
export function memoryChart(series: MemorySeries | undefined): string | undefined {
  if (series === undefined) return undefined;
  const { values, processes } = series;
  const whose =
    processes === 1 ? '' : `, process ${plain(series.process)} (it kept the most; ${processes - 1} more not drawn)`;
  const what = series.measures === 'heap' ? 'JS heap and external memory' : 'resident memory';
  return block([
    'xychart-beta',
    `  title "${what} after each test, in MB${whose}"`,
    `  x-axis "tests in the order they ran (${series.tests})" 1 --> ${values.length}`,
    `  y-axis "MB" ${axisFrom(values)} --> ${Math.ceil(Math.max(...values))}`,
    `  line [${values.map((value) => value.toFixed(1)).join(', ')}]`,
  ]);
}

/** The tests that kept the most (leaks first, as the tables show them); undefined when none kept anything. */
export function largestChart(leaks: readonly TestResult[]): string | undefined {
  const largest = leaks.filter((test) => keptSize(test) > 0).slice(0, MOST_BARS);
  if (largest.length === 0) return undefined;
  // Numbered, as names cut to plain characters may coincide.
  const names = largest.map((test, index) => `"${index + 1}. ${plain(shortName(test)).slice(0, 28)}"`);
  const sizes = largest.map((test) => (keptSize(test) / MB).toFixed(1));
  return block([
    'xychart-beta horizontal',
    `  title "The ${largest.length === 1 ? 'leak' : `${largest.length} largest leaks`}: MB kept per run"`,
    `  x-axis [${names.join(', ')}]`,
    `  y-axis "MB" 0 --> ${Math.ceil(Math.max(...largest.map((test) => keptSize(test) / MB)))}`,
    `  bar [${sizes.join(', ')}]`,
  ]);
}

function block(lines: string[]): string {
  return ['```mermaid', ...lines, '```'].join('\n');
}

/** At most MOST_POINTS values: each stretch of the line by its highest value, so that no peak is lost. */
function thinned(values: number[]): number[] {
  if (values.length <= MOST_POINTS) return values;
  const stretch = values.length / MOST_POINTS;
  return Array.from({ length: MOST_POINTS }, (_, index) =>
    Math.max(...values.slice(Math.floor(index * stretch), Math.floor((index + 1) * stretch))),
  );
}

/** Where the y axis starts: a little under the lowest value, so that the steps show. */
function axisFrom(values: number[]): number {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return Math.max(0, Math.floor(low - (high - low) * 0.1));
}

/** Text of a test's, cut to what cannot be Mermaid's syntax or end the block. */
function plain(text: string): string {
  return text.replace(/[^\p{L}\p{N} _.:-]/gu, '_');
}
