/**
 * One report from the reports of a matrix's shards: jobs that each ran part of the suite (pytest-split's groups,
 * `jest --shard`), or the whole suite on another OS or version. Each shard's tests keep its label, so that an id run
 * in two jobs stays two tests; counts and peaks are kept per shard and overall; and the merged report is compared with
 * the base's as the shards come. It is built one shard at a time, so that only what the comment, summary and log show
 * stays in memory: the tests themselves go back to the caller, to be written out, as each shard is added.
 */
import { BASE_LIMITS, Comparer, type BaseReportData, type RegressionThreshold } from './compare.js';
import { memorySeries, type MemorySeries } from './format/charts.js';
import {
  REPORT_VERSION,
  type BaseSource,
  type Coverage,
  type IncompleteTest,
  type MissingShard,
  type Report,
  type ShardSummary,
  type TestResult,
  type UnmeasuredTest,
} from './report.js';
import { formatSize } from './size.js';

export interface MergeOptions {
  toolVersion: string;
  /** The base's report to compare with, as the shards come; none: no comparison. */
  base?: { report: BaseReportData; source: BaseSource; threshold: RegressionThreshold | null } | undefined;
  /** Why there is no base to compare with, though one was asked for. */
  baselineProblem?: string | null;
}

/** The merged report for the comment, summary and log: all of it but its tests, of which only those they show. */
export interface MergedView {
  /** Its `tests`: each test that is not `ok` (leaks, warm-ups...), and each one the comparison names; all are counted. */
  report: Report;
  /** The process that kept the most, of all shards, to be drawn. */
  memory: MemorySeries | undefined;
}

/** The limit of a merge that no shard reported to: the default's. */
const NO_LIMIT = 10_000_000;

export class ReportMerger {
  private readonly summaries: ShardSummary[] = [];
  private readonly shown: TestResult[] = [];
  private readonly incomplete: IncompleteTest[] = [];
  private readonly unmeasured: UnmeasuredTest[] = [];
  private readonly warnings: string[] = [];
  private readonly commands: string[] = [];
  private readonly coverage: Coverage = { collected: null, measured: 0, unmeasured: 0, reasons: [], unsupported: [] };
  private memory: MemorySeries | undefined;
  private processes = 0;
  private comparer: Comparer | undefined;
  private baselineProblem: string | null;
  private whyNoReports = 'no shard left a report';

  constructor(private readonly options: MergeOptions) {
    const base = options.base;
    this.comparer = base === undefined ? undefined : new Comparer(base.report, base.source, base.threshold);
    this.baselineProblem = options.baselineProblem ?? null;
  }

  /**
   * Adds one shard's report (checked: see src/report-schema.ts), under a label no other shard has. Returns its tests,
   * each marked with the label, for the caller to write out; they are not kept.
   */
  add(label: string, report: Report): TestResult[] {
    const { tests } = report;
    for (const test of tests) {
      test.shard = label;
      const change = this.comparer?.add(test);
      if (test.verdict !== 'ok' || change !== undefined) this.shown.push(test);
    }
    this.incomplete.push(...report.incomplete.map((test) => ({ ...test, shard: label })));
    this.unmeasured.push(...report.unmeasured.map((test) => ({ ...test, shard: label })));
    this.warnings.push(...report.warnings.map((warning) => `shard ${label}: ${warning}`));
    if (!this.commands.includes(report.command)) this.commands.push(report.command);
    this.addCoverage(label, report.coverage);
    this.summaries.push({
      label,
      command: report.command,
      runner: report.runner,
      limit: report.limit,
      confirmRuns: report.confirmRuns,
      exitCode: report.exitCode,
      cancelled: report.cancelled,
      peak: report.peak,
      tests: tests.length,
      leaks: tests.filter((test) => test.leaked).length,
      unmeasured: report.coverage.unmeasured,
      incomplete: report.incomplete.length,
      commit: report.shard?.commit ?? null,
      job: report.shard?.job ?? null,
    });
    this.processes += new Set(tests.map((test) => test.worker)).size;
    const series = memorySeries(tests, label);
    if (series !== undefined && (this.memory === undefined || series.kept > this.memory.kept)) this.memory = series;
    if (this.comparer !== undefined && this.coverage.measured > BASE_LIMITS.tests) {
      // Its lists would hold every test: past what a base report may hold, no comparison is worth that memory.
      this.comparer = undefined;
      this.baselineProblem = `the merged report has more than ${BASE_LIMITS.tests.toLocaleString('en-US')} tests, more than leakwatch compares with a base`;
    }
    return tests;
  }

  /** Says why no shard's report is here, when none is: the run's artifacts could not be listed, say. */
  noReports(why: string): void {
    this.whyNoReports = why;
  }

  private addCoverage(label: string, coverage: Coverage): void {
    const merged = this.coverage;
    if (coverage.collected !== null || merged.collected !== null) {
      const before = merged.collected ?? this.coverage.measured + this.coverage.unmeasured;
      merged.collected = before + (coverage.collected ?? coverage.measured + coverage.unmeasured);
    }
    merged.measured += coverage.measured;
    merged.unmeasured += coverage.unmeasured;
    merged.reasons.push(...coverage.reasons.map((reason) => `shard ${label}: ${reason}`));
    merged.unsupported.push(...coverage.unsupported.map((runner) => `shard ${label}: ${runner}`));
  }

  /** The merged report, with the shards expected that left no report (`missing`, each named in a warning too). */
  finish(missing: readonly MissingShard[]): MergedView {
    const shards = [...this.summaries].sort((a, b) => compareLabels(a.label, b.label));
    const peaks = shards.flatMap((shard) => (shard.peak === null ? [] : [shard.peak]));
    const peak = peaks.length === 0 ? null : Math.max(...peaks);
    const runners = [...new Set(shards.flatMap((shard) => shard.runner.split(', ')).filter((name) => name !== 'auto'))];
    const coverage = { ...this.coverage, reasons: [...this.coverage.reasons] };
    if (shards.length === 0) coverage.reasons.push(this.whyNoReports);
    const warnings = [
      ...missing.map((shard) => `shard ${shard.label}: ${shard.why}.`),
      ...limitsWarning(shards),
      ...this.warnings,
    ];
    const report: Report = {
      version: REPORT_VERSION,
      tool: { name: 'leakwatch', version: this.options.toolVersion },
      // One per line where the shards ran different commands (pytest-split's groups): `shards` has each one's.
      command: this.commands.join('\n'),
      runner: runners.join(', ') || 'auto',
      // The smallest: every leak kept more than it, each by its own shard's limit (a warning says when they differ).
      limit: shards.length === 0 ? NO_LIMIT : Math.min(...shards.map((shard) => shard.limit)),
      confirmRuns: Math.max(0, ...shards.map((shard) => shard.confirmRuns)),
      // The first shard's that failed: each failed in its own job already.
      exitCode: shards.find((shard) => shard.exitCode !== 0)?.exitCode ?? 0,
      peak,
      tests: this.shown,
      incomplete: this.incomplete,
      unmeasured: this.unmeasured,
      warnings,
      coverage,
      cancelled: shards.some((shard) => shard.cancelled),
      comparison: this.comparer?.finish(peak) ?? null,
      baselineProblem: this.baselineProblem,
      shards,
      missingShards: [...missing],
    };
    const memory = this.memory === undefined ? undefined : { ...this.memory, processes: this.processes };
    return { report, memory };
  }
}

/** A warning when the shards judged their tests by different limits. */
function limitsWarning(shards: readonly ShardSummary[]): string[] {
  const byLimit = new Map<number, string[]>();
  for (const shard of shards) byLimit.set(shard.limit, [...(byLimit.get(shard.limit) ?? []), shard.label]);
  if (byLimit.size < 2) return [];
  const parts = [...byLimit].map(([limit, labels]) => `${formatSize(limit)} (shard ${labels.join(', ')})`);
  return [
    `The shards used different limits: ${parts.join(', ')}. Each test was judged by its own shard's limit; ` +
      'give every shard the same limit for one verdict.',
  ];
}

/** Labels in the order people count them: `2` before `10`. */
export function compareLabels(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
