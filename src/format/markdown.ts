/**
 * The findings in Markdown, for the job summary and the pull request comment. Test ids are untrusted text: each is
 * shown literally, as code, and can neither break a table nor mention anyone. The whole stays within `maxBytes`
 * (GitHub's limits): the largest leaks come first and the rest are counted, pointing at the JSON report.
 */
import { keptSize, testKey, type IncompleteTest, type Report, type TestResult } from '../report.js';
import { formatSize } from '../size.js';
import { median } from '../confirm.js';
import { largestChart, memoryChart, memorySeries, type MemorySeries } from './charts.js';
import {
  baseName,
  changeSummary,
  diedDetail,
  findingsOf,
  headline,
  shardsHeadline,
  siteSummary,
  unattributedText,
  groupCases,
  foldCrowdedFiles,
  type FileFold,
  heapText,
  unusualConfirmation,
  usualConfirmation,
  type CaseGroup,
  location,
  peakChange,
  plural,
  runsAlone,
  testsNamed,
  warmUpSize,
  type Findings,
} from './findings.js';

/** GitHub keeps at most 1 MiB of a step's summary, and 65,536 characters of a comment (a little room is left). */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 1024;
export const COMMENT_MAX_BYTES = 65_536 - 256;
/** Added and removed tests listed, at most, each. */
const MAX_IDS_LISTED = 50;
/** Cases of one test, or leaks of a crowded file, listed under its row, at most. */
const MAX_CASES_LISTED = 50;

export interface MarkdownOptions {
  /** The report's name, shown when it is not the default, to tell several reports apart. */
  reportName: string;
  maxBytes: number;
  /** A link to a test's file and line, where there is somewhere to link to. */
  linkTo?: (file: string, line: number | null) => string | undefined;
  /** A link to the workflow run. */
  runUrl?: string | undefined;
  /** Where to find what did not fit: "…and 12 more leaks, <more>." */
  more: string;
  /**
   * Pictures of the memory (Mermaid charts): `shown`, as in the job summary; `folded` under the tables when there are
   * leaks, as in the comment. None when not given.
   */
  charts?: 'shown' | 'folded';
  /** The process drawn, where the report's tests are not all at hand (a merged report's); else found in them. */
  memory?: MemorySeries | undefined;
}

export function renderMarkdown(report: Report, options: MarkdownOptions): string {
  const findings = findingsOf(report);
  const title = options.reportName === 'leakwatch' ? 'leakwatch' : `leakwatch · ${literal(options.reportName)}`;
  // Old leaks alone are amber where the base had them too.
  const newLeaks = report.comparison?.new.length ?? findings.leaks.length;
  const died = diedHeadline(report.incomplete);
  const shards = shardsHeadline(report, literal);
  // A merge with shards missing or failed is never all clear.
  const icon = newLeaks > 0 ? '🔴' : findings.leaks.length > 0 ? '🟠' : shards !== undefined ? '⚠️' : '✅';
  const head = `### ${icon} ${title}: ${headline(report, findings, { died, shards })}`;
  const tail = [...report.warnings.map((warning) => `> ⚠️ ${escapeText(warning)}`), footer(report, options)];
  const budget = new Budget(options.maxBytes - byteLength([head, ...tail].join('\n\n')) - 8);
  const confirmations = confirmationsOf(findings.leaks);
  const [intro = '', ...changes] = changeSections(report, options, budget, confirmations);
  const [incomplete, leaks, ...others] = bodySections(report, findings, options, budget, confirmations);
  // Said once, above the first table of leaks: new ones with a base, the crashes before the others without.
  const note = escapeText(confirmations.note);
  const sections = [
    head,
    intro,
    ...(report.comparison === null ? [incomplete, note] : [note, ...changes, incomplete]),
    leaks,
    chartSection(report, findings, options, budget),
    ...others,
    shardsSection(report, budget),
    ...tail,
  ];
  return sections.filter(Boolean).join('\n\n') + '\n';
}

/** The charts, as `options.charts` asks, if they fit. */
function chartSection(report: Report, findings: Findings, options: MarkdownOptions, budget: Budget): string {
  if (options.charts === undefined || (options.charts === 'folded' && findings.leaks.length === 0)) return '';
  const memory = options.memory ?? memorySeries(report.tests);
  const charts = [memoryChart(memory), largestChart(findings.leaks)].filter((chart) => chart !== undefined);
  if (charts.length === 0) return '';
  const body = charts.join('\n\n');
  const section =
    options.charts === 'shown'
      ? body
      : `<details><summary>Memory across the suite, as charts</summary>\n\n${body}\n\n</details>`;
  return budget.take(section, 400) ? section : '';
}

/** A test its process died in, in the headline: "1 test's process died: `tests/t.py::big` (last seen 3.1 GB)". */
function diedHeadline(incomplete: readonly IncompleteTest[]): string | undefined {
  const [worst] = [...incomplete].sort((a, b) => b.lastSeen - a.lastSeen);
  if (worst === undefined) return undefined;
  const others = incomplete.length > 1 ? ` and ${plural(incomplete.length - 1, 'other')}` : '';
  return `${incomplete.length === 1 ? "1 test's process" : `${incomplete.length} tests' processes`} died: ${literal(testKey(worst))} (last seen ${formatSize(worst.lastSeen)})${others}`;
}

/** What changed since the base, first: new leaks and regressions in full, fixed and other tests in short. */
function changeSections(
  report: Report,
  options: MarkdownOptions,
  budget: Budget,
  confirmations: Confirmations,
): string[] {
  if (report.baselineProblem !== null)
    return [`> ℹ️ No comparison with the base: ${escapeText(report.baselineProblem)}`];
  const comparison = report.comparison;
  if (comparison === null) return [];
  const more = moreLine(options);
  const peak = peakChange(comparison);
  const intro =
    `**Since the base** (${escapeText(baseName(comparison.base))}): ${escapeText(changeSummary(comparison))}` +
    (peak === undefined ? '.' : `; ${escapeText(peak)}.`);
  const inBase = (test: TestResult): string => {
    const kept = comparison.baseKept[testKey(test)];
    return kept === undefined ? 'not run' : formatSize(kept);
  };
  const changed = (title: string, ids: string[]): string =>
    leakTable(testsNamed(report, ids), options, budget, confirmations, [title, 'Base'], (group) => {
      const kept = group.tests.map((test) => comparison.baseKept[testKey(test)]);
      return kept.every((size) => size === undefined)
        ? 'not run'
        : group.tests.length === 1
          ? inBase(group.tests[0] as TestResult)
          : sizeRange(kept.flatMap((size) => size ?? []));
    });
  const fixed = list(
    `**${plural(comparison.fixed.length, 'leak')} fixed:**`,
    testsNamed(report, comparison.fixed).map(
      (test) => `- ${literal(testKey(test))}: ${inBase(test)} in the base, ${formatSize(keptSize(test))} now`,
    ),
    budget,
    (count) => more(count, 'test'),
  );
  // A renamed suite adds and removes thousands: they must not crowd out the leaks.
  const ids = (title: string, list: string[]): string =>
    details(
      title,
      list.length === 0
        ? ''
        : fit(
            [],
            list.map((id) => `- ${literal(id)}`),
            budget,
            (count) => more(count, 'test'),
            MAX_IDS_LISTED,
          ),
    );
  return [
    intro,
    changed('New leak, kept', comparison.new),
    changed('Regressed, keeps', comparison.regressed),
    fixed,
    ids(`${plural(comparison.added.length, 'test')} added`, comparison.added),
    ids(`${plural(comparison.removed.length, 'test')} removed`, comparison.removed),
  ];
}

function linker(options: MarkdownOptions): (test: { file: string; line: number | null }) => string {
  return (test) => {
    const href = options.linkTo?.(test.file, test.line);
    const text = literal(location(test));
    return href === undefined ? text : `<a href="${escapeAttribute(href)}">${text}</a>`;
  };
}

function moreLine(options: MarkdownOptions): (count: number, what: string) => string {
  return (count, what) => `…and ${count} more ${count === 1 ? what : `${what}s`}, ${escapeText(options.more)}.`;
}

function bodySections(
  report: Report,
  findings: Findings,
  options: MarkdownOptions,
  budget: Budget,
  confirmations: Confirmations,
): string[] {
  const where = linker(options);
  const more = moreLine(options);
  const comparison = report.comparison;
  // With a base, the new leaks and regressions are shown above: the others follow, folded.
  const shownAbove = new Set([...(comparison?.new ?? []), ...(comparison?.regressed ?? [])]);
  const others = findings.leaks.filter((test) => !shownAbove.has(testKey(test)));
  const otherLeaks = leakTable(others, options, budget, confirmations, ['Kept']);
  const leaks =
    comparison === null
      ? otherLeaks
      : details(
          `${plural(others.length, 'other leak')}, ${others.length === 1 ? 'a leak' : 'leaks'} in the base too`,
          otherLeaks,
        );
  const incomplete = list(
    `**${plural(findings.incomplete.length, 'test')} never finished**: the process running it died.`,
    findings.incomplete.map(
      (test: IncompleteTest) => `- ${literal(testKey(test))} at ${where(test)}: ${escapeText(diedDetail(test))}`,
    ),
    budget,
    (count) => more(count, 'test'),
  );
  // What a test kept in the suite, or for a warm-up what it kept the first time alone.
  const notLeaks = (
    title: string,
    tests: TestResult[],
    kept: [string, (test: TestResult) => number] = ['Kept in the suite', (test) => test.delta],
  ): string =>
    details(
      title,
      table(
        [kept[0], 'Test'],
        ['---:', '---'],
        tests.map((test) => [
          formatSize(kept[1](test)),
          `${testCell(test)}<br><sub>${escapeText(runsAlone(test))}</sub>`,
        ]),
        budget,
        (count) => more(count, 'test'),
      ),
    );
  const warmUps = notLeaks(
    `${plural(findings.warmUps.length, 'test')} warmed up: kept memory the first time only, not leaks`,
    findings.warmUps,
    ['Kept the first time alone', warmUpSize],
  );
  const unstable = notLeaks(
    `${plural(findings.unstable.length, 'test')} disagreed run to run alone, even after more runs: unstable, not leaks`,
    findings.unstable,
  );
  const noise = notLeaks(
    `${plural(findings.noise.length, 'test')} kept next to nothing when run alone: noise, not leaks`,
    findings.noise,
  );
  const ignored = details(
    `${plural(findings.ignored.length, 'test')} over the limit but ignored`,
    table(
      ['Kept', 'Test'],
      ['---:', '---'],
      findings.ignored.map((test) => [formatSize(test.delta), testCell(test)]),
      budget,
      (count) => more(count, 'test'),
    ),
  );
  return [incomplete, leaks, warmUps, unstable, noise, ignored];
}

/**
 * Leaks, a row each, cases of one test in one row: the size kept (per run), the test (linked to its line, what tells
 * more on a line under it), and `extra` columns. How the leaks were confirmed is said once above, and in a row only
 * where it differs.
 */
function leakTable(
  tests: readonly TestResult[],
  options: MarkdownOptions,
  budget: Budget,
  confirmations: Confirmations,
  [sizeTitle, ...extraTitles]: string[],
  ...extra: ((group: CaseGroup) => string)[]
): string {
  if (tests.length === 0) return '';
  // A crowded file's folded row is, for its size and extra columns, a group of all its leaks.
  const entries = foldCrowdedFiles(groupCases(tests)).map((entry) =>
    'file' in entry
      ? { fold: entry, group: { label: entry.file, tests: entry.groups.flatMap((group) => group.tests) } }
      : { fold: undefined, group: entry },
  );
  const rows = entries.map(({ fold, group }) => [
    fold === undefined ? groupSize(group) : sizeRange(group.tests.map(keptSize)),
    fold !== undefined
      ? foldCell(fold, group.tests.length, options)
      : group.tests.length === 1
        ? leakCell(group.tests[0] as TestResult, options, confirmations)
        : casesCell(group, options, confirmations),
    ...extra.map((cell) => cell(group)),
  ]);
  return table(
    [sizeTitle ?? 'Kept', 'Test', ...extraTitles],
    ['---:', '---', ...extraTitles.map(() => '---:')],
    rows,
    budget,
    // Counted in leaks, not rows: a row may hold many.
    (count) =>
      moreLine(options)(
        entries.slice(entries.length - count).reduce((sum, { group }) => sum + group.tests.length, 0),
        'leak',
      ),
  );
}

/** The leaks of a crowded file past its first few: how many, and each folded under, with its size. */
function foldCell(fold: FileFold, leaks: number, options: MarkdownOptions): string {
  const items = fold.groups.map((group) => {
    const [test] = group.tests;
    return group.tests.length === 1 && test !== undefined
      ? `${formatSize(keptSize(test))} ${linkedId(test, options)}`
      : `${groupSize(group)} ${wrappable(group.label)} — ${group.tests.length} cases`;
  });
  return (
    `${plural(leaks, 'more leak')} in ${wrappable(fold.file)}` +
    `<details><summary>the ${plural(leaks, 'leak')}</summary>${foldedList(items)}</details>`
  );
}

/** Lines folded in a cell, at most `MAX_CASES_LISTED` of them, then how many more. */
function foldedList(items: string[]): string {
  const shown = items.slice(0, MAX_CASES_LISTED);
  if (items.length > MAX_CASES_LISTED) shown.push(escapeText(`…and ${items.length - MAX_CASES_LISTED} more`));
  return shown.join('<br>');
}

/** How the leaks were confirmed, to be said once above them and in a row only where it differs. */
function confirmationsOf(leaks: readonly TestResult[]): Confirmations {
  const usual = usualConfirmation(leaks);
  const problems = new Map<string, number>();
  for (const test of leaks) {
    const problem = test.confirmation?.perRun == null ? test.confirmation?.problem : undefined;
    if (problem != null) problems.set(problem, (problems.get(problem) ?? 0) + 1);
  }
  const shared = new Set([...problems].filter(([, count]) => count > 1).map(([problem]) => problem));
  const note = [
    usual === undefined
      ? ''
      : `Each confirmed by ${plural(usual, 'run')} alone, keeping the same each run, unless its row says otherwise.`,
    ...[...shared].map((problem) => `${plural(problems.get(problem) ?? 0, 'leak')} not confirmed: ${problem}.`),
  ]
    .filter(Boolean)
    .join(' ');
  return { usual, shared, note };
}

/** What one leak keeps; for cases of one test, what each keeps (the median, and the range where they differ). */
function groupSize(group: CaseGroup): string {
  if (group.tests.length === 1) return formatSize(keptSize(group.tests[0] as TestResult));
  return `${formatSize(median(group.tests.map(keptSize)))} each`;
}

function sizeRange(sizes: number[]): string {
  const low = Math.min(...sizes);
  const high = Math.max(...sizes);
  return formatSize(low) === formatSize(high) ? formatSize(low) : `${formatSize(low)}–${formatSize(high)}`;
}

/** A leak's id, linked to its line, and on a line under it what tells more. */
function leakCell(test: TestResult, options: MarkdownOptions, confirmations: Confirmations): string {
  const linked = options.linkTo?.(test.file, test.line) !== undefined;
  const more = [linked ? '' : `at ${linker(options)(test)}`, ...whatTellsMore(test, options, confirmations)];
  const under = more.filter(Boolean).join('; ');
  const id = linkedId(test, options);
  return under === '' ? id : `${id}<br><sub>${under}</sub>`;
}

/** A test's id, which may wrap, linked to its line where there is somewhere to link to, and how it ended if not passed. */
function linkedId(test: TestResult, options: MarkdownOptions): string {
  const link = options.linkTo?.(test.file, test.line);
  const name = wrappable(testKey(test));
  const id = link === undefined ? name : `<a href="${escapeAttribute(link)}">${name}</a>`;
  return test.outcome === 'passed' ? id : `${id} (${escapeText(test.outcome)})`;
}

/** How the leaks of a table were confirmed: said once above it, and in a row only where it differs. */
interface Confirmations {
  /** Runs alone of most leaks, all agreeing. */
  usual: number | undefined;
  /** Why leaks could not be confirmed, where more than one could not for that reason. */
  shared: Set<string>;
  /** All that, said once. */
  note: string;
}

/** Of a leak: how it was confirmed where that is not as most were, its heap and external parts, its sites. */
function whatTellsMore(test: TestResult, options: MarkdownOptions, { usual, shared }: Confirmations): string[] {
  const where = linker(options);
  const problem = test.confirmation?.perRun == null ? test.confirmation?.problem : undefined;
  const confirmation = problem != null && shared.has(problem) ? 'not confirmed' : unusualConfirmation(test, usual);
  return [
    escapeText(confirmation ?? ''),
    escapeText(heapText(test) ?? ''),
    ...test.sites
      .slice(0, 2)
      .map((site) => `allocated at ${where(site)} ${escapeText(siteSummary(site, test.measures))}`),
    escapeText(unattributedText(test) ?? ''),
  ].filter(Boolean);
}

/** Cases of one test: what they share, how many, what the largest tells, and the cases themselves folded. */
function casesCell(group: CaseGroup, options: MarkdownOptions, confirmations: Confirmations): string {
  const [largest] = group.tests;
  const range = sizeRange(group.tests.map(keptSize));
  const head = `${wrappable(group.label)} — ${group.tests.length} cases${range.includes('–') ? ` (${range})` : ''}`;
  const cases = foldedList(group.tests.map((test) => `${formatSize(keptSize(test))} ${linkedId(test, options)}`));
  const told = largest === undefined ? [] : whatTellsMore(largest, options, confirmations);
  const under = told.length === 0 ? '' : `<br><sub>the largest: ${told.join('; ')}</sub>`;
  return `${head}${under}<details><summary>the ${group.tests.length} cases</summary>${cases}</details>`;
}

function testCell(test: TestResult): string {
  const name = wrappable(testKey(test));
  return test.outcome === 'passed' ? name : `${name} (${escapeText(test.outcome)})`;
}

/** A merged report's shards: what each ran and found, folded. */
function shardsSection(report: Report, budget: Budget): string {
  const shards = report.shards ?? [];
  const rows = shards.map((shard) => [
    literal(shard.label),
    String(shard.tests),
    String(shard.leaks),
    shard.peak === null ? '' : formatSize(shard.peak),
    `${literal(shard.command)} ${shard.cancelled ? 'cancelled' : `exited with ${shard.exitCode}`}`,
  ]);
  const missing = (report.missingShards ?? []).map((shard) => [
    literal(shard.label),
    '',
    '',
    '',
    `no report: ${escapeText(shard.why)}`,
  ]);
  return details(
    `${plural(shards.length, 'shard')} merged${missing.length === 0 ? '' : `, ${missing.length} missing`}`,
    table(
      ['Shard', 'Tests', 'Leaks', 'Peak RSS', 'Command'],
      ['---', '---:', '---:', '---:', '---'],
      [...missing, ...rows],
      budget,
      (count) => `…and ${plural(count, 'more shard')}.`,
    ),
  );
}

function footer(report: Report, options: MarkdownOptions): string {
  // Each part may come from records a test wrote, or from a base report: text, never Markdown.
  const parts = [
    `leakwatch ${escapeText(report.tool.version)}`,
    escapeText(report.runner),
    report.shards === undefined
      ? `${literal(report.command)} exited with ${report.exitCode}`
      : `${plural(report.shards.length, 'shard')} merged`,
  ];
  if (options.runUrl !== undefined) parts.push(`<a href="${escapeAttribute(options.runUrl)}">workflow run</a>`);
  return `<sub>${parts.join(' · ')}</sub>`;
}

/** A table of as many rows as the budget holds, then a line counting the rest. Empty when there are no rows. */
function table(
  header: string[],
  alignment: string[],
  rows: string[][],
  budget: Budget,
  more: (count: number) => string,
): string {
  if (rows.length === 0) return '';
  const lines = [row(header), row(alignment)];
  return fit(lines, rows.map(row), budget, more);
}

function list(intro: string, items: string[], budget: Budget, more: (count: number) => string): string {
  return items.length === 0 ? '' : fit([intro, ''], items, budget, more);
}

function details(summary: string, body: string): string {
  return body === '' ? '' : `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** As many items as the budget holds, and at most `most`, then a line counting the rest. */
function fit(
  head: string[],
  items: string[],
  budget: Budget,
  more: (count: number) => string,
  most = Number.POSITIVE_INFINITY,
): string {
  const reserve = 400; // room for the "and N more" line
  if (!budget.take(head.join('\n') + '\n', reserve)) return '';
  const lines = [...head];
  let shown = 0;
  while (shown < Math.min(items.length, most) && budget.take(`${items[shown] ?? ''}\n`, reserve)) {
    lines.push(items[shown] ?? '');
    shown += 1;
  }
  if (shown < items.length) lines.push('', more(items.length - shown));
  return lines.join('\n');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

class Budget {
  constructor(private left: number) {}

  /** Takes room for `text` if, after it, `reserve` bytes would still be left. */
  take(text: string, reserve: number): boolean {
    const size = byteLength(text);
    if (size + reserve > this.left) return false;
    this.left -= size;
    return true;
  }
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

const MAX_SHOWN_CHARACTERS = 200;

/**
 * Untrusted text shown literally as code: inside <code> GitHub makes no @mentions or #references, and every
 * character Markdown or HTML could read as syntax is written as an entity. Invisible and control characters are
 * shown as escapes; very long text is cut (the JSON report has it whole).
 */
export function literal(text: string): string {
  const characters = Array.from(text);
  const shown =
    characters.length > MAX_SHOWN_CHARACTERS ? `${characters.slice(0, MAX_SHOWN_CHARACTERS - 1).join('')}…` : text;
  return `<code>${escapeText(shown)}</code>`;
}

/** Untrusted text shown literally as code, as `literal`, with places it may break across lines (`<wbr>`). */
export function wrappable(text: string): string {
  const characters = Array.from(text);
  const shown =
    characters.length > MAX_SHOWN_CHARACTERS ? `${characters.slice(0, MAX_SHOWN_CHARACTERS - 1).join('')}…` : text;
  return `<code>${breakPieces(shown).map(escapeText).join('<wbr>')}</code>`;
}

/** A long id in pieces a phone's narrow column may break between: after `/`, `::`, ` > `, `[`, `,`, or 24 characters. */
function breakPieces(text: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  let length = 0;
  for (const character of text) {
    piece += character;
    length += 1;
    if (/[/[,]$/.test(piece) || piece.endsWith('::') || piece.endsWith(' > ') || length >= 24) {
      pieces.push(piece);
      piece = '';
      length = 0;
    }
  }
  return piece === '' ? pieces : [...pieces, piece];
}

/** Plain words of leakwatch's own, which may quote untrusted text: safe in a table cell or a line of text. */
function escapeText(text: string): string {
  // '_' between letters or digits cannot start or end emphasis, and test ids are full of it: it stays readable.
  return text.replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])|[^\p{L}\p{N} .,;:/=()_+-]/gu, (character) => {
    const code = character.codePointAt(0) ?? 0;
    return /[\p{C}\p{Z}]/u.test(character) ? `\\u${code.toString(16).padStart(4, '0')}` : `&#${code};`;
  });
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.codePointAt(0) ?? 0};`);
}
