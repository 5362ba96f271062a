/**
 * The findings as plain lines, for the job log and the terminal: `LEAKED 712.0 MB in tests/x.py::test_y`. Control
 * characters in test ids are shown as escapes: a line break in an id could otherwise start a line that the Actions
 * runner reads as a workflow command.
 */
import { keptSize, testKey, type Frame, type Report } from '../report.js';
import { formatSize } from '../size.js';
import {
  baseName,
  changeSummary,
  diedDetail,
  findingsOf,
  headline,
  leakDetail,
  shardsHeadline,
  plural,
  peakChange,
  runsAlone,
  siteText,
  testsNamed,
  unattributedText,
  warmUpSize,
} from './findings.js';

export function renderTerminal(report: Report): string[] {
  const findings = findingsOf(report);
  const lines = [`leakwatch: ${headline(report, findings, { shards: shardsHeadline(report, printable) })}`];
  for (const shard of report.shards ?? []) {
    const peak = shard.peak === null ? '' : `, peak RSS ${formatSize(shard.peak)}`;
    const state = shard.cancelled ? 'was cancelled' : `exited with ${shard.exitCode}`;
    lines.push(
      `leakwatch: shard ${printable(shard.label)}: ${plural(shard.tests, 'test')}, ${shard.leaks} leaked${peak}; ` +
        `'${printable(shard.command)}' ${state}`,
    );
  }
  const comparison = report.comparison;
  if (report.baselineProblem !== null) lines.push(`leakwatch: no comparison with the base: ${report.baselineProblem}`);
  if (comparison !== null) {
    const peak = peakChange(comparison);
    lines.push(
      `leakwatch: since the base (${baseName(comparison.base)}): ${changeSummary(comparison)}${peak ? `; ${peak}` : ''}`,
    );
  }
  const newLeaks = new Set(comparison?.new);
  const inBase = (id: string): string => {
    const kept = comparison?.baseKept[id];
    return kept === undefined ? 'not in the base' : `${formatSize(kept)} in the base`;
  };
  for (const test of findings.leaks) {
    const failed = test.outcome === 'passed' ? '' : ` (${test.outcome})`;
    const fresh = newLeaks.has(testKey(test)) ? ' (new)' : '';
    const detail = leakDetail(test);
    lines.push(
      `LEAKED ${formatSize(keptSize(test))} in ${printable(testKey(test))}${fresh}${failed}${detail ? `: ${detail}` : ''}`,
    );
    // Where it was allocated, and for the largest site the calls that led there.
    test.sites.forEach((site, index) => {
      lines.push(`  allocated at ${printable(siteText(site, test.measures))}`);
      if (index === 0)
        for (const frame of site.stack.slice(1, 4)) lines.push(`    from ${printable(frameText(frame))}`);
    });
    const unattributed = unattributedText(test);
    if (unattributed !== undefined) lines.push(`  ${unattributed}`);
  }
  for (const test of testsNamed(report, comparison?.regressed ?? [])) {
    lines.push(`REGRESSED ${formatSize(keptSize(test))} in ${printable(testKey(test))}, ${inBase(testKey(test))}`);
  }
  for (const test of testsNamed(report, comparison?.fixed ?? [])) {
    lines.push(`fixed: ${printable(testKey(test))} keeps ${formatSize(keptSize(test))}, ${inBase(testKey(test))}`);
  }
  for (const test of findings.incomplete) {
    lines.push(`DIED IN ${printable(testKey(test))}: its process ended during the test; ${diedDetail(test)}`);
  }
  for (const test of findings.warmUps) {
    lines.push(
      `warm-up, not a leak: ${formatSize(warmUpSize(test))} in ${printable(testKey(test))} (${runsAlone(test)})`,
    );
  }
  for (const test of findings.unstable) {
    lines.push(
      `unstable, not a leak: ${formatSize(test.delta)} in ${printable(testKey(test))} in the suite, ` +
        `but its runs alone disagree (${runsAlone(test)})`,
    );
  }
  for (const test of findings.noise) {
    lines.push(`noise, not a leak: ${formatSize(test.delta)} in ${printable(testKey(test))} (${runsAlone(test)})`);
  }
  for (const test of findings.ignored) {
    lines.push(`ignored: ${formatSize(test.delta)} in ${printable(testKey(test))}`);
  }
  return lines;
}

function frameText(frame: Frame): string {
  return `${frame.file}:${frame.line} in ${frame.function}`;
}

export function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (character) => `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
