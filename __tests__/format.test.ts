/** What people read: the Markdown of the summary and the comment, and the log lines. Untrusted test ids render literally. */
import { describe, expect, it } from 'vitest';
import { shortName } from '../src/format/annotations.js';
import { inert } from '../src/log.js';
import { literal, renderMarkdown, wrappable } from '../src/format/markdown.js';
import { renderTerminal } from '../src/format/terminal.js';
import { report, result } from './helpers/reports.js';

const MB = 1_000_000;

/** What GitHub would show of a piece of Markdown's text, once entities are decoded and tags dropped. */
function shownText(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}

describe('test ids', () => {
  it.each([
    'tests/t.py::test[pipe|and`tick`]',
    'tests/t.py::test[<img src=x onerror=alert(1)>]',
    'tests/t.py::test[@someone and #12]',
    'tests/t.py::test[*emphasis* _under_ ~~strike~~ [link](http://x) \\ & &amp;]',
    'tests/t.py::test[ünïcødé 名前 🚀]',
  ])('%s shows literally, as code, with no character left to Markdown or HTML, where it may wrap too', (id) => {
    for (const markdown of [literal(id), wrappable(id)]) {
      const inside = /^<code>(.*)<\/code>$/u.exec(markdown)?.[1] ?? '';
      const bare = inside
        .replaceAll('<wbr>', '')
        .replace(/&#\d+;/g, '')
        .replace(/(?<=[\p{L}\p{N}])_(?=[\p{L}\p{N}])/gu, '');
      expect(bare).not.toMatch(/[<>|`*_~[\]@#\\&]/);
      expect(shownText(markdown)).toBe(id);
    }
  });

  it('shows line breaks and invisible characters as escapes, so that they cannot break a table row', () => {
    expect(literal('a\nb\u202ec\u0000d')).toBe('<code>a\\u000ab\\u202ec\\u0000d</code>');
  });

  it('cuts very long ids (the JSON report has them whole)', () => {
    const shown = shownText(literal(`tests/t.py::test[${'x'.repeat(5000)}]`));
    expect(Array.from(shown)).toHaveLength(200);
    expect(shown.endsWith('x…')).toBe(true);
  });
});

describe('the summary', () => {
  it('is one clear line when nothing leaks', () => {
    const markdown = renderMarkdown(report([result('tests/t.py::a', 1 * MB)]), {
      reportName: 'leakwatch',
      maxBytes: 1 << 20,
      more: 'in the JSON report',
    });
    expect(markdown.split('\n\n')).toEqual([
      '### ✅ leakwatch: no test leaked more than 10.0 MB (1 test measured), peak RSS 1.2 GB',
      '<sub>leakwatch 0.1.0 · pytest · <code>pytest -n 2</code> exited with 0</sub>\n',
    ]);
  });

  it('lists the leaks largest first, with size, id, place, outcome and what each keeps per run alone', () => {
    const markdown = renderMarkdown(
      report([
        result('tests/t.py::small', 12 * MB, { file: 'tests/t.py' }),
        result('tests/t.py::big', 700 * MB, { file: 'tests/t.py', outcome: 'failed', line: 40 }),
      ]),
      { reportName: 'py-3.12', maxBytes: 1 << 20, more: 'in the JSON report' },
    );
    expect(markdown).toContain('### 🔴 leakwatch · <code>py-3.12</code>: 2 of 2 tests leaked more than 10.0 MB');
    // How they were confirmed, said once; each row, two columns that fit a phone: the id may wrap, its place under it.
    expect(markdown).toContain(
      'Each confirmed by 3 runs alone, keeping the same each run, unless its row says otherwise.\n\n| Kept | Test |\n',
    );
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && line.includes('MB |'));
    expect(rows).toEqual([
      '| 700.0 MB | <code>tests/<wbr>t.py::<wbr>big</code> (failed)<br><sub>at <code>tests/t.py:40</code></sub> |',
      '| 12.0 MB | <code>tests/<wbr>t.py::<wbr>small</code><br><sub>at <code>tests/t.py:12</code></sub> |',
    ]);
  });

  it('gives the cases of one parametrized test one row, and says in a row only how its runs alone differ', () => {
    const alone = (...deltas: number[]) => deltas.map((delta) => ({ delta, outcome: 'passed', allocatedBlocks: null }));
    const cases = Array.from({ length: 26 }, (_, index) =>
      result(`tests/t.py::test_upload_chunks[chunk-${index}]`, (14.8 + (index % 5) / 10) * MB),
    );
    const markdown = renderMarkdown(
      report([
        ...cases,
        result('tests/t.py::test_grows', 30 * MB, {
          confirmation: { runs: alone(10 * MB, 30 * MB, 50 * MB), perRun: 30 * MB, problem: null },
        }),
      ]),
      { reportName: 'leakwatch', maxBytes: 1 << 20, more: 'in the JSON report' },
    );
    const rows = markdown.split('\n').filter((line) => /^\| [\d.]+ MB/.test(line));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(
      /^\| 30\.0 MB \| <code>tests\/<wbr>t\.py::<wbr>test_grows<\/code><br><sub>at <code>tests\/test_x\.py:12<\/code>; 3 runs alone kept 10\.0 MB, 30\.0 MB, 50\.0 MB<\/sub> \|$/,
    );
    expect(rows[1]).toMatch(
      /^\| 15\.0 MB each \| <code>tests\/<wbr>t\.py::<wbr>test_upload_chunks&#91;<wbr>&#8230;&#93;<\/code> — 26 cases \(14\.8 MB–15\.2 MB\)<details><summary>the 26 cases<\/summary>15\.2 MB <code>/,
    );
    expect(rows[1]?.split('<br>')).toHaveLength(26);
  });

  it("shows a crowded file's 5 largest leaks and folds its others into one row; a file of 8 keeps its 8", () => {
    const crowded = Array.from({ length: 9 }, (_, index) =>
      result(`tests/test_big.py::test_${index}`, (40 - index) * MB, { file: 'tests/test_big.py' }),
    );
    const handful = Array.from({ length: 8 }, (_, index) =>
      result(`tests/test_few.py::test_${index}`, (20 - index) * MB, { file: 'tests/test_few.py' }),
    );
    const markdown = renderMarkdown(report([...crowded, ...handful]), {
      reportName: 'leakwatch',
      maxBytes: 1 << 20,
      more: 'in the JSON report',
    });
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && line.includes('MB'));
    const files = rows.map((line) => /<code>([^<]*<wbr>)*test_(big|few)\.py/.exec(line)?.[2]);
    expect(files).toEqual([...Array<string>(6).fill('big'), ...Array<string>(8).fill('few')]);
    expect(shownText(rows[5] ?? '')).toBe(
      '| 32.0 MB–35.0 MB | 4 more leaks in tests/test_big.py' +
        'the 4 leaks35.0 MB tests/test_big.py::test_534.0 MB tests/test_big.py::test_6' +
        '33.0 MB tests/test_big.py::test_732.0 MB tests/test_big.py::test_8 |',
    );
    expect(rows[5]).toMatch(/<details><summary>the 4 leaks<\/summary>/);
    expect(markdown).not.toContain('more leaks, in the JSON report');
  });

  it('keeps within its byte limit with 100,000 tests and 20,000 leaks, largest first, counting the rest', () => {
    const tests = Array.from({ length: 100_000 }, (_, index) =>
      result(
        `tests/test_${index % 97}.py::test_case_${index}_${'p'.repeat(index % 150)}_ünï`,
        index < 20_000 ? (11 + index) * MB : 0,
        { file: `tests/test_${index % 97}.py` },
      ),
    );
    for (const maxBytes of [65_536, 1 << 20]) {
      const markdown = renderMarkdown(report(tests), {
        reportName: 'leakwatch',
        maxBytes,
        more: 'in the JSON report (/tmp/leakwatch.json)',
      });
      expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(maxBytes);
      const rows = markdown.split('\n').filter((line) => /^\| [\d.]+ [MG]B \|/.test(line));
      expect(rows[0]).toContain('20.0 GB');
      // Each file's leaks past its 5 largest are one row: "201 more leaks in tests/test_5.py".
      const folded = [...markdown.matchAll(/\| (\d+) more leaks in <code>/g)].map((match) => Number(match[1]));
      const shown = rows.length + folded.reduce((sum, leaks) => sum + leaks, 0);
      expect(shown).toBeGreaterThan(maxBytes / 1000);
      if (shown < 20_000)
        expect(markdown).toContain(`…and ${20_000 - shown} more leaks, in the JSON report (/tmp/leakwatch.json).`);
      else expect(markdown).not.toContain('more leaks, in the JSON report');
      expect(markdown).toMatch(/<sub>leakwatch 0\.1\.0 .*<\/sub>\n$/);
    }
  });

  it('leads with what changed since the base, and lists no more than 50 added or removed tests', () => {
    const tests = [
      result('tests/test_a.py::test_new', 30 * MB),
      result('tests/test_a.py::test_grew', 12 * MB),
      ...Array.from({ length: 10_000 }, (_, index) => result(`tests/test_renamed.py::test_${index}`, 0)),
    ];
    const comparison = {
      base: { commit: 'b4ea1e5c0ffee', runId: 902, file: null },
      new: ['tests/test_a.py::test_new'],
      fixed: [],
      regressed: ['tests/test_a.py::test_grew'],
      added: tests.slice(2).map((test) => test.id),
      removed: ['tests/test_old.py::test_gone'],
      peak: { base: 1_000 * MB, current: 1_200 * MB },
      baseKept: { 'tests/test_a.py::test_grew': 2 * MB },
    };
    const markdown = renderMarkdown(report(tests, { comparison }), {
      reportName: 'leakwatch',
      maxBytes: 65_536,
      more: 'in the JSON report',
    });
    const lines = markdown.split('\n');
    expect(lines[0]).toBe(
      '### 🔴 leakwatch: 1 new leak since the base; 2 of 10002 tests leaked more than 10.0 MB, peak RSS 1.2 GB',
    );
    expect(lines[2]).toBe(
      '**Since the base** (commit b4ea1e5 (run 902)): 1 new leak, 0 fixed, 1 regressed; 10000 tests added, 1 removed; ' +
        'peak RSS 1.2 GB, 1.0 GB in the base.',
    );
    expect(markdown).toContain(
      '| 12.0 MB | <code>tests/<wbr>test_a.py::<wbr>test_grew</code><br><sub>at <code>tests/test_x.py:12</code></sub> | 2.0 MB |',
    );
    expect(lines.filter((line) => line.startsWith('- <code>tests/test_renamed.py::'))).toHaveLength(50);
    expect(markdown).toContain('…and 9950 more tests, in the JSON report.');
    // Each leak is shown once: the new one and the regressed one above, and no other.
    for (const id of ['test_new', 'test_grew']) expect(markdown.split(`<wbr>${id}</code>`)).toHaveLength(2);
    expect(markdown).not.toContain('other leak');
  });

  it('says once why there is no comparison, and shows amber when every leak is an old one', () => {
    const tests = [result('tests/test_a.py::test_old', 30 * MB)];
    const missing = renderMarkdown(report(tests, { baselineProblem: 'the base has no report.' }), {
      reportName: 'leakwatch',
      maxBytes: 65_536,
      more: 'in the JSON report',
    });
    expect(missing.split('No comparison with the base').length).toBe(2);
    expect(missing).toContain('> ℹ️ No comparison with the base: the base has no report.');
    const comparison = {
      base: { commit: null, runId: null, file: 'main.json' },
      new: [],
      fixed: [],
      regressed: [],
      added: [],
      removed: [],
      peak: { base: null, current: null },
      baseKept: {},
    };
    const old = renderMarkdown(report(tests, { comparison }), { reportName: 'leakwatch', maxBytes: 65_536, more: '' });
    expect(old.split('\n')[0]).toMatch(/^### 🟠 leakwatch: 0 new leaks since the base; 1 of 1 test leaked/);
  });

  it('shows the tests a process died in, warm-ups, noise, unconfirmed suspects and warnings', () => {
    const alone = (...deltas: number[]) => deltas.map((delta) => ({ delta, outcome: 'passed', allocatedBlocks: null }));
    const markdown = renderMarkdown(
      report(
        [
          result('tests/t.py::cache', 40 * MB, {
            verdict: 'warm-up',
            leaked: false,
            confirmation: { runs: alone(40 * MB, 0, 0), perRun: 0, problem: null },
          }),
          result('tests/t.py::order', 30 * MB, {
            verdict: 'noise',
            leaked: false,
            confirmation: { runs: alone(0, 0, 0), perRun: 0, problem: null },
          }),
          result('tests/t.py::huge', 3_000 * MB, {
            verdict: 'unconfirmed',
            confirmation: { runs: alone(3_000 * MB), perRun: null, problem: 'its process died on run 2 alone' },
          }),
        ],
        {
          incomplete: [
            {
              id: 'tests/t.py::oom',
              file: 'tests/t.py',
              line: 3,
              worker: 'gw0',
              pid: 9,
              before: 100 * MB,
              lastSeen: 2_100 * MB,
              lastSeenAt: 12.5,
            },
          ],
          warnings: ['leakwatch measured no tests: <check>'],
        },
      ),
      { reportName: 'leakwatch', maxBytes: 1 << 20, more: 'in the JSON report' },
    );
    // The test a process died in leads, after new leaks: in the headline, and before the leaks.
    expect(markdown.split('\n')[0]).toBe(
      "### 🔴 leakwatch: 1 test's process died: <code>tests/t.py::oom</code> (last seen 2.1 GB); 1 of 3 tests leaked more than 10.0 MB, peak RSS 1.2 GB",
    );
    expect(markdown.indexOf('**1 test never finished**')).toBeLessThan(markdown.indexOf('| Kept | Test |'));
    expect(markdown).toContain('**1 test never finished**');
    expect(markdown).toContain(
      '- <code>tests/t.py::oom</code> at <code>tests/t.py:3</code>: its process&#39;s last memory sample 12.5 s into the run read 2.1 GB, 2.0 GB more than at the test&#39;s start (sampled every 0.5 s: it may have grown after)',
    );
    expect(markdown).toContain(
      '<details><summary>1 test warmed up: kept memory the first time only, not leaks</summary>',
    );
    expect(markdown).toContain(
      '| 40.0 MB | <code>tests/<wbr>t.py::<wbr>cache</code><br><sub>3 runs alone kept 40.0 MB, 0 B, 0 B</sub> |',
    );
    expect(markdown).toContain('<summary>1 test kept next to nothing when run alone: noise, not leaks</summary>');
    expect(markdown).toContain(
      '| 3.0 GB | <code>tests/<wbr>t.py::<wbr>huge</code><br><sub>at <code>tests/test_x.py:12</code>; not confirmed: its process died on run 2 alone</sub> |',
    );
    expect(markdown).toContain('> ⚠️ leakwatch measured no tests: &#60;check&#62;');
  });
});

describe('the charts', () => {
  const blocks = (markdown: string): string[] => markdown.match(/```mermaid\n[\s\S]*?\n```/g) ?? [];
  const ran = (count: number, kept: (index: number) => number, id = (index: number) => `tests/t.py::test_${index}`) => {
    let memory = 100 * MB;
    return Array.from({ length: count }, (_, index) => {
      const delta = kept(index);
      const test = result(id(index), delta, { order: index, before: memory, after: memory + delta });
      memory += delta;
      return test;
    });
  };

  it('draw what the process held after each test in the order they ran, a leak a staircase, and the largest leaks', () => {
    // Listed by id, as the report lists them; drawn in the order they ran.
    const tests = ran(6, (index) => (index % 2 === 0 ? 20 * MB : 0)).reverse();
    const markdown = renderMarkdown(report(tests), {
      reportName: 'leakwatch',
      maxBytes: 1 << 20,
      more: '',
      charts: 'shown',
    });
    const [memory, largest] = blocks(markdown);
    expect(memory).toContain('  line [120.0, 120.0, 140.0, 140.0, 160.0, 160.0]');
    expect(memory).toContain('x-axis "tests in the order they ran (6)" 1 --> 6');
    expect(largest).toContain('xychart-beta horizontal');
    expect(largest).toContain('bar [20.0, 20.0, 20.0]');
  });

  it('keep a line to 300 points, its peaks kept, and no test name can end the block or be Mermaid', () => {
    const hostile = (index: number) => `tests/t.py::test_${index}[\`\`\`\n"]\n%%{init}%% <b>@team</b>]`;
    const tests = ran(100_000, (index) => (index === 77_777 ? 500 * MB : index % 1000 === 0 ? 11 * MB : 0), hostile);
    const markdown = renderMarkdown(report(tests), {
      reportName: 'leakwatch',
      maxBytes: 1 << 20,
      more: '',
      charts: 'shown',
    });
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(1 << 20);
    const [memory, largest] = blocks(markdown);
    const points = /line \[(.*)\]/.exec(memory ?? '')?.[1]?.split(', ') ?? [];
    expect(points).toHaveLength(300);
    expect(Math.max(...points.map(Number))).toBeCloseTo(100 + 100 * 11 + 500, 0);
    // Inside each block, only leakwatch's own words and plain characters.
    for (const block of blocks(markdown)) {
      const inside = block.slice('```mermaid\n'.length, -'\n```'.length);
      expect(inside).not.toMatch(/[`<@%{}\\]/);
      // Every quoted string closes on its line: none holds a quote of a test's.
      for (const line of inside.split('\n')) expect(line.split('"').length % 2, line).toBe(1);
    }
    expect(largest?.split('\n')).toHaveLength(7);
  });

  it('are folded in the comment, and left out there when nothing leaked', () => {
    const leaking = renderMarkdown(report(ran(3, () => 20 * MB)), {
      reportName: 'leakwatch',
      maxBytes: 65_000,
      more: '',
      charts: 'folded',
    });
    expect(leaking).toMatch(/<details><summary>Memory across the suite, as charts<\/summary>\n\n```mermaid\n/);
    const clean = renderMarkdown(report(ran(3, () => 0)), {
      reportName: 'leakwatch',
      maxBytes: 65_000,
      more: '',
      charts: 'folded',
    });
    expect(blocks(clean)).toEqual([]);
  });

  it('leave the order out where it is not known: processes under one name, a report from before it was written', () => {
    const twoProcesses = [
      ...ran(3, () => 20 * MB),
      ...ran(
        3,
        () => 20 * MB,
        (index) => `tests/u.py::test_${index}`,
      ),
    ];
    const markdown = renderMarkdown(report(twoProcesses), {
      reportName: 'leakwatch',
      maxBytes: 65_000,
      more: '',
      charts: 'shown',
    });
    expect(blocks(markdown).map((block) => block.split('\n')[1])).toEqual(['xychart-beta horizontal']);
  });
});

describe('the log lines', () => {
  it('show control characters in ids as escapes, so that no id can start a workflow command', () => {
    const lines = renderTerminal(report([result('tests/t.py::test[x\n::error::owned]', 20 * MB)]));
    expect(lines).toContain(
      'LEAKED 20.0 MB in tests/t.py::test[x\\u000a::error::owned]: keeps 20.0 MB per run (3 runs alone kept 20.0 MB, 20.0 MB, 20.0 MB)',
    );
    expect(lines.join('\n')).not.toMatch(/^::/m);
  });
});

describe('annotation titles', () => {
  it.each([
    [{ id: 'exit.test.js > a leaks', titles: ['a leaks'] }, 'a leaks'],
    [{ id: 'src/cart.test.ts > cart > adds', titles: ['cart', 'adds'] }, 'adds'],
    [{ id: 'exit.test.js > a leaks' }, 'a leaks'],
    [{ id: 'tests/t.py::TestX::test_y' }, 'test_y'],
    [{ id: 'tests/t.py::test_y[::warning::planted]' }, 'test_y[::warning::planted]'],
    [{ id: 'exit.test.js' }, 'exit.test.js'],
  ])('name the test itself, whole: %j', (test, name) => {
    expect(shortName(test)).toBe(name);
  });
});

describe('text in workflow commands', () => {
  it('loses terminal colours, shows control characters as escapes, and leaves no legacy command', () => {
    expect(inert('\u001b[31mred\u001b[0m ##[add-mask]x\n::error::y')).toBe('red #\u200b#[add-mask]x\\u000a::error::y');
  });
});

describe('a run that measured part of what ran, or nothing', () => {
  const coverage = { collected: 2000, measured: 1, unmeasured: 1999, reasons: ['the disk was full'], unsupported: [] };

  it('says how much was measured, never "no test leaked"', () => {
    const partial = report([result('tests/t.py::a', 0)], { coverage });
    const lines = renderTerminal(partial);
    expect(lines[0]).toBe(
      'leakwatch: measured 1 of 2000 tests; none of them leaked more than 10.0 MB, peak RSS 1.2 GB',
    );
    const markdown = renderMarkdown(partial, { reportName: 'leakwatch', maxBytes: 65_000, more: 'in the report' });
    expect(markdown).toMatch(/^### ✅ leakwatch: measured 1 of 2000 tests; none of them leaked/);
    expect(markdown).not.toContain('no test leaked');
  });

  it('says nothing was measured, and that the job was cancelled', () => {
    const nothing = report([], {
      coverage: { ...coverage, measured: 0, unmeasured: 0, collected: null },
      cancelled: true,
      exitCode: 130,
    });
    expect(renderTerminal(nothing)[0]).toBe(
      'leakwatch: cancelled; nothing was measured (the test command exited with 130): no test has a figure, so no leak could be found',
    );
  });
});
