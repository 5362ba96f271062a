/**
 * The npm package, as `npx leakwatch` users get it: packed from this checkout, installed into an empty project, then
 * run from there on a real pytest suite with a planted leak.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report.js';
import { cleanEnvironment, FIXTURES, ROOT, runProcess } from './helpers/run.js';

const MB = 1e6;

/** Bytes in the files under `dir`. */
function treeSize(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((total, entry) => total + statSync(path.join(entry.parentPath, entry.name)).size, 0);
}

describe('the npm package', () => {
  let project: string;
  let installed: string;
  let npmOutput: string;

  beforeAll(() => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-pack-'));
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' }),
    ) as { filename: string }[];
    project = path.join(out, 'project');
    cpSync(path.join(FIXTURES, 'pytest/leaks'), path.join(project, 'tests'), { recursive: true });
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'someone-elses-project', private: true }));
    // Offline: a package with no dependencies needs nothing from the registry.
    npmOutput = execFileSync(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', path.join(out, packed?.filename ?? '')],
      { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    installed = path.join(project, 'node_modules');
  }, 120_000);

  it('installs leakwatch alone, under 5 MB, with its licences and the third-party notices', () => {
    expect(npmOutput).toContain('added 1 package');
    expect(readdirSync(installed).filter((name) => !name.startsWith('.'))).toEqual(['leakwatch']);
    expect(treeSize(path.join(installed, 'leakwatch'))).toBeLessThan(5 * MB);
    const files = readdirSync(path.join(installed, 'leakwatch'));
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'action.yml', 'dist', 'package.json']));
    const notices = readFileSync(path.join(installed, 'leakwatch/dist/licenses.txt'), 'utf8');
    for (const bundled of ['@actions/core@', '@actions/github@', 'pidusage@', 'shell-quote@', 'signal-exit@']) {
      expect(notices).toContain(bundled);
    }
  });

  it('develops on Node 20: no package in the lockfile asks for a newer Node (npm ci prints no EBADENGINE)', () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } }>;
    };
    const newer = Object.entries(lock.packages)
      .filter(([, entry]) => entry.engines?.node !== undefined && !semver.satisfies('20.19.0', entry.engines.node))
      .map(([where, entry]) => `${where}@${entry.version ?? ''} wants Node ${entry.engines?.node ?? ''}`);
    expect(newer).toEqual([]);
  });

  it('answers npx leakwatch --help', async () => {
    const help = await runProcess('npx', ['--offline', 'leakwatch', '--help'], {
      cwd: project,
      env: cleanEnvironment(),
    });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Usage: leakwatch [options] [--] <command...>');
  });

  it('finds a planted leak with npx leakwatch -- pytest', async () => {
    const run = await runProcess(
      'npx',
      [
        '--offline',
        'leakwatch',
        '--confirm',
        '2',
        '--json',
        'report.json',
        '--',
        'pytest',
        '-k',
        'connection',
        'tests',
      ],
      { cwd: project, env: cleanEnvironment() },
    );
    expect(run.stdout).toMatch(
      /^LEAKED 40\.0 MB in tests\/test_leaks\.py::TestRemoteService::test_connection: keeps /m,
    );
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(readFileSync(path.join(project, 'report.json'), 'utf8')) as Report;
    expect(report.tests.filter((test) => test.leaked).map((test) => test.id)).toEqual([
      'tests/test_leaks.py::TestRemoteService::test_connection',
    ]);
  });
});
