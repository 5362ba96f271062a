import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectRunner, readPackageScripts, type DetectedRunner, type ReadScripts } from '../src/detect-runner.js';

/** A chain of scripts `step1` → `step2` → ... → `step<length>`, the last running jest. */
function chain(length: number): Record<string, string> {
  const scripts: Record<string, string> = { [`step${length + 1}`]: 'jest' };
  for (let step = 1; step <= length; step++) scripts[`step${step}`] = `npm run step${step + 1}`;
  return scripts;
}

const packages: Record<string, Record<string, string>> = {
  '/repo': {
    test: 'jest --ci',
    'test:unit': 'vitest run',
    'test:all': 'npm run lint && npm run test:unit',
    lint: 'eslint .',
    web: 'cd web && npm test',
    'go-web': 'cd web',
    'node-tests': 'node --test',
    // A script wins over the binary of the same name.
    jest: 'mocha',
    loop: 'npm run loop',
    ping: 'yarn pong',
    pong: 'pnpm run ping',
  },
  '/repo/web': { test: 'vitest run --coverage' },
  '/repo/api': { test: 'mocha "test/**/*.spec.js"' },
  '/repo/py': { test: 'uv run pytest' },
  '/no-scripts': {},
  '/deep-enough': chain(9),
  '/too-deep': chain(10),
};
const readFake: ReadScripts = (directory) => packages[directory];

function detect(command: string, directory = '/repo'): DetectedRunner | null {
  return detectRunner(command, directory, readFake);
}

type Case = [command: string, expected: DetectedRunner | null];

describe('runners called directly', () => {
  it.each<Case>([
    ['pytest', 'pytest'],
    ['py.test -x tests', 'pytest'],
    ['.venv/bin/pytest -n 2', 'pytest'],
    ['python -m pytest tests', 'pytest'],
    ['python3 -m pytest', 'pytest'],
    ['python3.12 -X dev -W error -m pytest', 'pytest'],
    ['/usr/bin/python3 -B -m pytest', 'pytest'],
    ['py -m pytest', 'pytest'],
    ['python -m unittest', null],
    ['python -c "import pytest" -m pytest', null],
    ['python manage.py test', null],
    ['uv run pytest', 'pytest'],
    ['uv run --with pytest-xdist python -m pytest -n 2', 'pytest'],
    ['poetry run pytest', 'pytest'],
    ['pipenv run py.test', 'pytest'],
    ['hatch run pytest', 'pytest'],
    ['pdm run -- python -m pytest', 'pytest'],
    ['uv sync', null],
    ['poetry run flake8', null],
    ['jest --ci', 'jest'],
    ['vitest run', 'vitest'],
    ['mocha test/', 'mocha'],
    ['node --test', 'node-test'],
    ['node --test --test-reporter=spec test/', 'node-test'],
    ['node --experimental-strip-types --test', 'node-test'],
    ['node test/all.js --test', 'node-test'],
    ['node --test-reporter=spec test/all.js', null],
    ['node node_modules/.bin/jest --ci', 'jest'],
    ['node node_modules/jest/bin/jest.js', 'jest'],
    ['node ./node_modules/vitest/vitest.mjs run', 'vitest'],
    ['node --import tsx node_modules/mocha/bin/_mocha', 'mocha'],
    ['node --max-old-space-size=4096 node_modules/mocha/bin/mocha.js', 'mocha'],
    ['node --require mocha test/run.js', null],
    ['node test/run.js', null],
    ['node', null],
    ['./node_modules/.bin/jest', 'jest'],
    ['node_modules/.bin/vitest run', 'vitest'],
    ['node_modules/.bin/_mocha', 'mocha'],
  ])('%s → %s', (command, expected) => {
    expect(detect(command)).toBe(expected);
  });
});

describe('assignments and wrappers', () => {
  it.each<Case>([
    ['CI=1 pytest -n 2 tests', 'pytest'],
    ['CI=1 NODE_OPTIONS="--max-old-space-size=4096 --expose-gc" jest', 'jest'],
    ['env CI=true FORCE_COLOR=0 vitest run', 'vitest'],
    ['env -u HOME -i PATH=/bin jest', 'jest'],
    ['cross-env NODE_ENV=test mocha', 'mocha'],
    ['dotenv -- jest', 'jest'],
    ['dotenv -e .env.test -- vitest', 'vitest'],
    ['time pytest', 'pytest'],
    ['nice -n 10 pytest', 'pytest'],
    ['xvfb-run -a -s "-screen 0 1024x768x24" jest', 'jest'],
    ['exec mocha', 'mocha'],
    ['env A=1 time nice xvfb-run node --test', 'node-test'],
    ['TZ=UTC npx cross-env CI=1 jest', 'jest'],
    ['CI=1', null],
    ['env', null],
  ])('%s → %s', (command, expected) => {
    expect(detect(command)).toBe(expected);
  });
});

describe('package manager launchers', () => {
  it.each<Case>([
    ['npx jest --ci', 'jest'],
    ['npx --yes vitest@latest run', 'vitest'],
    ['npx -y -p mocha@10 mocha', 'mocha'],
    ['npx --no-install -- jest', 'jest'],
    ['npx --package=jest jest', 'jest'],
    ['npx node --test', 'node-test'],
    ['npm exec -- vitest run', 'vitest'],
    ['npm x jest', 'jest'],
    ['npm exec --yes -- mocha', 'mocha'],
    ['pnpm exec jest', 'jest'],
    ['pnpm dlx vitest run', 'vitest'],
    ['pnpm --filter web exec jest', 'jest'],
    ['yarn exec mocha', 'mocha'],
    ['yarn dlx jest', 'jest'],
    ['bunx vitest', 'vitest'],
    ['npx tsc', null],
    ['npx', null],
    ['npx -y', null],
  ])('%s → %s', (command, expected) => {
    expect(detect(command)).toBe(expected);
  });
});

describe('package.json scripts', () => {
  it.each<Case>([
    ['npm test', 'jest'],
    ['npm t', 'jest'],
    ['npm tst', 'jest'],
    ['npm run test:unit', 'vitest'],
    ['npm run-script test:unit', 'vitest'],
    ['npm run test:unit -- --coverage', 'vitest'],
    ['npm run --silent test:unit', 'vitest'],
    ['npm run test:all', 'vitest'],
    ['npm run node-tests', 'node-test'],
    ['yarn test', 'jest'],
    ['yarn run test:unit', 'vitest'],
    ['yarn test:unit', 'vitest'],
    ['pnpm test', 'jest'],
    ['pnpm run test:unit', 'vitest'],
    ['pnpm test:unit', 'vitest'],
    ['yarn jest', 'mocha'],
    ['pnpm jest', 'mocha'],
    // Without such a script yarn and pnpm run the binary, but npm and `pnpm run` fail.
    ['yarn vitest run', 'vitest'],
    ['pnpm vitest run', 'vitest'],
    ['yarn run vitest', 'vitest'],
    ['pnpm run vitest', null],
    ['npm run vitest', null],
    ['npm vitest', null],
    ['npm run nope || npm test', 'jest'],
    ['npm run', null],
    ['npm', null],
    ['yarn', null],
    ['npm ci && npm test', 'jest'],
    ['yarn install --frozen-lockfile && yarn test', 'jest'],
    ['npm run lint', null],
    ['npm run constructor', null],
    ['yarn toString', null],
  ])('%s → %s', (command, expected) => {
    expect(detect(command)).toBe(expected);
  });

  it.each<Case>([
    ['npm --prefix web test', 'vitest'],
    ['npm test --prefix web', 'vitest'],
    ['npm run test --prefix=api', 'mocha'],
    ['npm test -- --prefix web', 'jest'],
    ['npm -C web/../api test', 'mocha'],
    ['pnpm -C web test', 'vitest'],
    ['pnpm --dir=web test', 'vitest'],
    ['yarn --cwd web test', 'vitest'],
    ['yarn --cwd api run test', 'mocha'],
    ['npm --prefix py test', 'pytest'],
    ['npm --prefix /repo/web test', 'vitest'],
    ['npm --prefix nowhere test', null],
  ])('a directory option: %s → %s', (command, expected) => {
    expect(detect(command)).toBe(expected);
  });

  it.each<Case>([
    ['npm test --workspaces', null],
    ['npm -w web test', null],
    ['pnpm -r test', null],
    ['pnpm --filter web test', null],
    ['pnpm --filter=web test || vitest', 'vitest'],
  ])('scripts across workspaces cannot be told: %s → %s', (command, expected) => {
    expect(detect(command)).toBe(expected);
  });

  it.each<Case>([
    ['cd web && npm test', 'vitest'],
    ['cd web && pnpm vitest run', 'vitest'],
    ['cd api; yarn test', 'mocha'],
    ['cd web && cd ../api && npm test', 'mocha'],
    ['cd web\nnpm test', 'vitest'],
    ['(cd web && npm test)', 'vitest'],
    ['cd && npm test', 'jest'],
    ['npm run web', 'vitest'],
    // A script runs in its own shell: its `cd` stays there.
    ['npm run go-web && npm test', 'jest'],
  ])('cd: %s → %s', (command, expected) => {
    expect(detect(command)).toBe(expected);
  });

  it.each<Case>([
    ['npm run loop', null],
    ['npm run ping', null],
    ['npm run loop || vitest', 'vitest'],
  ])('a loop ends: %s → %s', (command, expected) => {
    expect(detect(command)).toBe(expected);
  });

  it('follows scripts calling scripts up to 10 deep', () => {
    expect(detect('npm run step1', '/deep-enough')).toBe('jest');
    expect(detect('npm run step1', '/too-deep')).toBe(null);
  });

  it('reads package.json where the script runs, as absolute directories', () => {
    const directories: string[] = [];
    const recording: ReadScripts = (directory) => {
      directories.push(directory);
      return readFake(directory);
    };
    expect(detectRunner('cd web && npm run missing; npm --prefix ../api test', '/repo', recording)).toBe('mocha');
    expect(directories).toEqual(['/repo/web', '/repo/api']);
  });

  it('finds nothing without a package.json or scripts', () => {
    expect(detect('npm test', '/nowhere')).toBe(null);
    expect(detect('yarn test', '/no-scripts')).toBe(null);
  });
});

describe('splitting the command', () => {
  it.each<Case>([
    ['pytest && jest', 'pytest'],
    ['jest; vitest', 'jest'],
    ['npm run lint && vitest', 'vitest'],
    ['make build || mocha', 'mocha'],
    ['cat list | xargs echo && jest', 'jest'],
    ['echo start\nvitest run', 'vitest'],
    ['echo "pytest && true" && mocha', 'mocha'],
    ["echo 'vitest || x; y' ; mocha", 'mocha'],
    ['echo "say \\"pytest && x\\"" && mocha', 'mocha'],
    ['echo pytest \\&\\& jest; mocha', 'mocha'],
    ['echo "a\\b" && mocha', 'mocha'],
    ['CI=1 \\\n  jest --ci', 'jest'],
    ['"jest" --ci', 'jest'],
    ["'node_modules/.bin/vitest' run", 'vitest'],
    ['make 2>&1 | tee out.log && vitest', 'vitest'],
    ['jest --ci 2>&1 | tee out.log', 'jest'],
    ['# pytest is not run\nmocha', 'mocha'],
    ['echo a # && pytest\nmocha', 'mocha'],
  ])('%s → %s', (command, expected) => {
    expect(detect(command)).toBe(expected);
  });
});

describe('unrecognised commands', () => {
  it.each<Case>([
    ['make test', null],
    ['tox -e py312', null],
    ['bash scripts/test.sh', null],
    ['npx turbo run test', null],
    ['nx test', null],
    ['lerna run test', null],
    ['bun test', null],
    ['echo jest', null],
    ['', null],
    ['   \n ; && ', null],
  ])('%j → %s', (command, expected) => {
    expect(detect(command)).toBe(expected);
  });
});

describe('readPackageScripts', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'leakwatch-detect-'));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  function project(name: string, manifest?: string): string {
    const directory = path.join(root, name);
    mkdirSync(directory);
    if (manifest !== undefined) writeFileSync(path.join(directory, 'package.json'), manifest);
    return directory;
  }

  it('returns the scripts that are strings', () => {
    const directory = project('real', JSON.stringify({ scripts: { test: 'vitest run', bad: 1, lint: 'eslint .' } }));
    expect(readPackageScripts(directory)).toEqual({ test: 'vitest run', lint: 'eslint .' });
    expect(detectRunner('npm test', directory, readPackageScripts)).toBe('vitest');
  });

  it('returns undefined without a package.json, with a malformed one, or without scripts', () => {
    expect(readPackageScripts(project('missing'))).toBeUndefined();
    expect(readPackageScripts(project('malformed', '{"scripts": {'))).toBeUndefined();
    expect(readPackageScripts(project('no-scripts', '{"name": "x"}'))).toBeUndefined();
    expect(readPackageScripts(project('array', '{"scripts": ["jest"]}'))).toBeUndefined();
    expect(readPackageScripts(project('null', 'null'))).toBeUndefined();
  });
});
