/**
 * Annotations on the leaking tests' lines, so that a leak shows in the pull request's diff. GitHub shows at most 10
 * errors and 10 warnings of a step, so the largest leaks come first and the rest are counted.
 */
import path from 'node:path';
import { keptSize, testKey, type Report, type TestResult } from '../report.js';
import { formatSize } from '../size.js';
import { diedDetail, findingsOf, leakDetail } from './findings.js';

export const MAX_ANNOTATIONS_PER_LEVEL = 10;

export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
  file: string | undefined;
  line: number | undefined;
}

/**
 * Leaks are errors when they fail the build (their ids are in `failing`), warnings otherwise; tests a process died in
 * are errors when the test command failed.
 */
export function annotationsFor(
  report: Report,
  failing: ReadonlySet<string>,
): { annotations: Annotation[]; left: number } {
  const newLeaks = new Set(report.comparison?.new ?? []);
  const findings = findingsOf(report);
  const place = (test: { file: string; line: number | null }): Pick<Annotation, 'file' | 'line'> => ({
    // Annotations need a path inside the repository.
    file: test.file.startsWith('../') ? undefined : test.file,
    line: test.line ?? undefined,
  });
  const onTest = (test: TestResult): Annotation => ({
    level: failing.has(testKey(test)) ? 'error' : 'warning',
    title: `leakwatch: ${shortName(test)} ${newLeaks.has(testKey(test)) ? 'newly ' : ''}leaked ${formatSize(keptSize(test))}`,
    message: `${testKey(test)} kept ${formatSize(keptSize(test))}, more than the limit of ${formatSize(report.limit)}${detail(test)}.`,
    ...place(test),
  });
  // The line that allocated a leak's memory gets one too, so that a reviewer sees it where the diff changed it.
  const onSite = (test: TestResult): Annotation[] => {
    const site = test.sites[0];
    const file = site === undefined ? undefined : place({ file: site.file, line: site.line }).file;
    if (site === undefined || file === undefined || path.isAbsolute(file)) return [];
    if (file === test.file && site.line === test.line) return [];
    return [
      {
        level: failing.has(testKey(test)) ? 'error' : 'warning',
        title: `leakwatch: memory ${shortName(test)} leaks is allocated here`,
        message: `${testKey(test)} keeps ${formatSize(keptSize(test))} per run, ${formatSize(site.size)} of it allocated here, in ${site.function}.`,
        file,
        line: site.line,
      },
    ];
  };
  const leaks = findings.leaks.flatMap((test) => [onTest(test), ...onSite(test)]);
  const died = findings.incomplete.map((test): Annotation => ({
    level: report.exitCode === 0 ? 'warning' : 'error',
    title: `leakwatch: the process died in ${shortName(test)}`,
    message: `${testKey(test)} never finished: its process died; ${diedDetail(test)}.`,
    ...place(test),
  }));
  const all = [...leaks, ...died];
  const shown: Annotation[] = [];
  for (const level of ['error', 'warning'] as const) {
    shown.push(...all.filter((annotation) => annotation.level === level).slice(0, MAX_ANNOTATIONS_PER_LEVEL));
  }
  return { annotations: shown, left: all.length - shown.length };
}

function detail(test: TestResult): string {
  const text = leakDetail(test);
  return text ? `: ${text}` : '';
}

/**
 * The test's own name, without its file and classes or describe blocks: Node's last title; pytest's after the last
 * `::` before its parameters, which may hold anything.
 */
export function shortName(test: { id: string; titles?: string[] | null }): string {
  const title = test.titles?.at(-1);
  if (title !== undefined) return title;
  const parameters = test.id.indexOf('[');
  const head = parameters === -1 ? test.id : test.id.slice(0, parameters);
  const separator = head.includes('::') ? '::' : ' > ';
  const at = head.lastIndexOf(separator);
  return at === -1 ? test.id : test.id.slice(at + separator.length);
}
