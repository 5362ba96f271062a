// `node scripts/screenshot.mjs`: makes docs/comment.png, the picture of a pull request comment that README shows,
// from a real run of the bundled action (dist/index.js, so run `npm run build` first if src/ changed).
//
// It copies examples/pytest into a temporary workspace and runs the action twice, as the Actions runner does (INPUT_*
// and GITHUB_* variables, an event payload file, RUNNER_TEMP):
//   1. a push to main, on the examples with their leak taken out (RemoteService.connect no longer keeps its buffer):
//      the base branch's report, as a push leaves it;
//   2. a pull request, on the examples as they are: the pull request brings the leak. It finds the base's report
//      through the REST API, compares, and posts its comment.
// The GitHub API it talks to is a small fake on 127.0.0.1, started here: it answers the few calls the action makes
// (this run's workflow, the base branch's runs, their artifact holding the base's report, the pull request's
// comments) and keeps the body of the comment the action posts. Nothing goes anywhere but 127.0.0.1.
//
// That Markdown is rendered as GitHub renders a comment: marked with GitHub Flavored Markdown (and line breaks kept,
// as in comments), GitHub's stylesheet (github-markdown-css, light) at the 14px of comments, in a comment box of
// GitHub's look; only the HTML GitHub keeps is allowed through. Headless Chromium (Debian's, at /usr/bin/chromium,
// or CHROMIUM=/path/to/chromium) driven by playwright-core takes a picture of the comment at twice its size.
//
// Needs: Python 3.9+ (scripts/python-env.mjs finds pytest or makes .venv), `apt-get install chromium`, and for the
// emoji fonts-noto-color-emoji (fonts-noto-core and fonts-liberation2 for GitHub's fonts' nearest look-alikes).
// Takes about ten seconds. The figures (sizes, peak) are this machine's, as in any real run.
import { spawn, execFileSync } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { CHROMIUM, CHROMIUM_ARGS, githubPage } from './github-page.mjs';
import { pathWithPytest } from './python-env.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const OUTPUT = path.join(root, 'docs/comment.png');
/** The comment's content width, in CSS pixels: GitHub's comment column, about 760 px, where the tables fit. */
const CONTENT_WIDTH = 760;

const REPO = 'octo-org/octo-repo';
const PULL = 42;
const WORKFLOW = 161335;
const BASE_RUN = 1658800417;
const THIS_RUN = 1658821493;
const ARTIFACT = 5000;
const BASE_SHA = 'b4ea1e5c0ffee0b4ea1e5c0ffee0b4ea1e5c0ff1';
const HEAD_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const COMMAND = 'pytest examples/pytest';
/** The leak in examples/pytest/service.py, taken out for the base. */
const LEAK_LINE = /^\s*self\._debug_buffers\.append\(buffer\)\n/m;
const LEAKING_TEST = 'examples/pytest/test_service.py::TestRemoteService::test_connection';
/** The leaking test's own name, the last part of its id, as the comment shows it. */
const LEAKING_NAME = LEAKING_TEST.slice(LEAKING_TEST.lastIndexOf('::') + 2);

/**
 * The fake GitHub, as the runs see it and as it saw them.
 * @typedef {object} FakeGitHub
 * @property {string} url where it listens, the runs' GITHUB_API_URL
 * @property {string[]} comments the bodies of the comments posted, in order
 * @property {string[]} unexpected the requests it had no answer for
 * @property {Buffer} baseZip the base's report artifact, a zip, once the push run made it
 * @property {() => Promise<void>} close stops it
 */

/**
 * The little of the page's DOM that the functions run in it use: this is Node's code, typed without the DOM, so those
 * functions take the page's `document` from `globalThis`, cast to this.
 * @typedef {{ document: { fonts: { ready: Promise<unknown> },
 *   querySelectorAll(selectors: string): Iterable<{ scrollWidth: number, clientWidth: number }> } }} PageGlobals
 */

async function main() {
  const started = performance.now();
  if (!existsSync(CHROMIUM)) {
    console.error(
      `scripts/screenshot.mjs needs Chromium at ${CHROMIUM}, and it is not there. Install it (Debian, Ubuntu: ` +
        '`sudo apt-get install chromium fonts-noto-color-emoji`), or point CHROMIUM=/path/to/chromium at one.',
    );
    process.exitCode = 1;
    return;
  }
  if (!existsSync(path.join(root, 'dist/index.js'))) {
    console.error('scripts/screenshot.mjs runs the bundled action, dist/index.js, and it is missing: `npm run build`.');
    process.exitCode = 1;
    return;
  }
  warnOfMissingFonts();
  const temp = await mkdtemp(path.join(os.tmpdir(), 'leakwatch-screenshot-'));
  const github = await startFakeGitHub();
  try {
    const markdown = await commentFromRealRuns(temp, github);
    const png = await screenshot(await githubPage(markdown, { width: CONTENT_WIDTH, framed: true }));
    mkdirSync(path.dirname(OUTPUT), { recursive: true });
    await writeFile(OUTPUT, png);
    const { width, height } = pngSize(png);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Wrote ${path.relative(process.cwd(), OUTPUT)}: ${width}×${height} px, ${(png.length / 1024).toFixed(0)} KiB, in ${seconds} s.`,
    );
  } finally {
    await github.close();
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * The base's report from a push without the leak, then the comment of a pull request that brings it.
 * @param {string} temp a temporary directory, for the workspace and the runs' RUNNER_TEMP
 * @param {FakeGitHub} github
 * @returns {Promise<string>} the comment's Markdown
 */
async function commentFromRealRuns(temp, github) {
  const workspace = path.join(temp, 'workspace');
  const examples = path.join(workspace, 'examples/pytest');
  await cp(path.join(root, 'examples/pytest'), examples, {
    recursive: true,
    filter: (source) => !/__pycache__|\.pytest_cache/.test(source),
  });
  const service = path.join(examples, 'service.py');
  const leaking = await readFile(service, 'utf8');
  if (!LEAK_LINE.test(leaking)) throw new Error(`examples/pytest/service.py no longer has the leak ${LEAK_LINE}.`);

  console.log('Running the action on a push to main, without the leak (the base) ...');
  await writeFile(service, leaking.replace(LEAK_LINE, ''));
  const push = await runAction({
    workspace,
    runnerTemp: path.join(temp, 'push'),
    eventName: 'push',
    event: { ref: 'refs/heads/main', after: BASE_SHA },
    env: { GITHUB_SHA: BASE_SHA, GITHUB_REF: 'refs/heads/main', GITHUB_RUN_ID: String(BASE_RUN) },
    apiUrl: github.url,
  });
  const baseReport = await readFile(path.join(temp, 'push/leakwatch/leakwatch.json'), 'utf8').catch(() => {
    throw new Error(`The push run left no report.\n${push.output}`);
  });
  const base = /** @type {import('../src/report.js').Report} */ (JSON.parse(baseReport));
  if (base.tests.some((test) => test.id === LEAKING_TEST && test.leaked)) {
    throw new Error(`${LEAKING_TEST} leaked in the base, without its leak.\n${push.output}`);
  }
  github.baseZip = zipOf('leakwatch.json', baseReport);

  console.log('Running the action on a pull request that brings the leak ...');
  await writeFile(service, leaking);
  const pull = await runAction({
    workspace,
    runnerTemp: path.join(temp, 'pull'),
    eventName: 'pull_request',
    event: {
      action: 'synchronize',
      number: PULL,
      pull_request: {
        number: PULL,
        head: { ref: 'feature', sha: HEAD_SHA },
        base: { ref: 'main', sha: BASE_SHA },
      },
    },
    env: { GITHUB_SHA: HEAD_SHA, GITHUB_REF: `refs/pull/${PULL}/merge`, GITHUB_RUN_ID: String(THIS_RUN) },
    apiUrl: github.url,
  });
  if (github.unexpected.length > 0) {
    console.error(`The fake GitHub did not know these requests:\n  ${github.unexpected.join('\n  ')}`);
  }
  const comment = github.comments[0];
  if (comment === undefined) throw new Error(`The action posted no comment.\n${pull.output}`);
  if (!comment.includes('New leak') || !comment.includes(LEAKING_NAME)) {
    throw new Error(`The comment does not show ${LEAKING_TEST} as a new leak:\n${comment}\n${pull.output}`);
  }
  return comment;
}

/**
 * Runs dist/index.js as the Actions runner runs a step; the exit code is not checked (a new leak fails it).
 * @param {object} step
 * @param {string} step.workspace GITHUB_WORKSPACE, the checkout
 * @param {string} step.runnerTemp RUNNER_TEMP, made here; the event payload and the step's files go in it
 * @param {string} step.eventName GITHUB_EVENT_NAME
 * @param {object} step.event the event's payload
 * @param {Record<string, string>} step.env more variables, GITHUB_SHA and the like
 * @param {string} step.apiUrl the (fake) GitHub API's URL
 * @returns {Promise<{ code: number | null, output: string }>} its exit code and its stdout and stderr, interleaved
 */
async function runAction({ workspace, runnerTemp, eventName, event, env, apiUrl }) {
  const files = {
    event: path.join(runnerTemp, 'event.json'),
    output: path.join(runnerTemp, 'output'),
    summary: path.join(runnerTemp, 'summary.md'),
  };
  mkdirSync(runnerTemp, { recursive: true });
  await writeFile(files.event, JSON.stringify(event));
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|LEAKWATCH_|PYTEST_|PYTHONPATH$|NODE_OPTIONS$|JEST_|MOCHA_|VITEST)/.test(
          name,
        ) && !/_proxy$/i.test(name),
    ),
  );
  const inputs = {
    command: COMMAND,
    'fail-on-leak': 'new',
    'github-token': 'ghs_fake-token-for-the-screenshot',
  };
  const childEnv = {
    ...inherited,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    PATH: pathWithPytest(),
    PYTHONDONTWRITEBYTECODE: '1',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: REPO,
    GITHUB_SERVER_URL: 'https://github.com', // for links in the comment only: nothing is fetched from it
    GITHUB_API_URL: apiUrl,
    GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
    RUNNER_TEMP: runnerTemp,
    ...env,
  };
  const child = spawn(process.execPath, [path.join(root, 'dist/index.js')], {
    cwd: workspace,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  /** @type {number | null} */
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return { code, output };
}

/**
 * Just enough of GitHub's REST API for the action on a pull request: the run and its workflow, the base branch's
 * successful run and its report artifact (a redirect to the zip, as GitHub's), the pull request's comments.
 * @returns {Promise<FakeGitHub>} it, listening on 127.0.0.1
 */
async function startFakeGitHub() {
  /** @type {FakeGitHub} */
  const state = {
    url: '',
    comments: [],
    unexpected: [],
    baseZip: Buffer.alloc(0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const [owner, repo] = REPO.split('/');
  const api = `/repos/${owner}/${repo}`;
  /**
   * A workflow run, as the REST API gives it.
   * @param {number} id
   * @param {string} branch
   * @param {string} sha
   * @param {string} event
   */
  const asRun = (id, branch, sha, event) => ({
    id,
    workflow_id: WORKFLOW,
    head_branch: branch,
    head_sha: sha,
    event,
    status: 'completed',
    conclusion: id === BASE_RUN ? 'success' : null,
  });
  const server = createServer((request, response) => {
    /** @type {Buffer[]} */
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const route = `${request.method} ${url.pathname}`;
      /**
       * Answers with JSON.
       * @param {number} status
       * @param {unknown} data
       * @param {Record<string, string>} [headers]
       */
      const send = (status, data, headers = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(data));
      };
      if (route === `GET ${api}/actions/runs/${THIS_RUN}`) {
        send(200, asRun(THIS_RUN, 'feature', HEAD_SHA, 'pull_request'));
      } else if (route === `GET ${api}/actions/workflows/${WORKFLOW}/runs`) {
        const matches = url.searchParams.get('branch') === 'main' && url.searchParams.get('status') === 'success';
        const runs = matches ? [asRun(BASE_RUN, 'main', BASE_SHA, 'push')] : [];
        send(200, { total_count: runs.length, workflow_runs: runs });
      } else if (route === `GET ${api}/actions/runs/${BASE_RUN}/artifacts`) {
        const artifact = {
          id: ARTIFACT,
          name: 'leakwatch-report',
          expired: false,
          size_in_bytes: state.baseZip.length,
        };
        send(200, { total_count: 1, artifacts: [artifact] });
      } else if (route === `GET ${api}/actions/artifacts/${ARTIFACT}/zip`) {
        send(302, {}, { location: `${state.url}/blobs/${ARTIFACT}.zip?sig=signed` });
      } else if (route === `GET /blobs/${ARTIFACT}.zip`) {
        response.writeHead(200, { 'content-type': 'application/zip' });
        response.end(state.baseZip);
      } else if (route === `GET ${api}/issues/${PULL}/comments`) {
        send(200, []);
      } else if (route === `POST ${api}/issues/${PULL}/comments`) {
        const { body } = /** @type {{ body: string }} */ (JSON.parse(Buffer.concat(chunks).toString('utf8')));
        state.comments.push(body);
        send(201, { id: 1, body, user: { login: 'github-actions[bot]', type: 'Bot' } });
      } else if (route === 'POST /graphql') {
        send(200, { data: { viewer: { login: 'github-actions[bot]' } } });
      } else {
        state.unexpected.push(`${request.method} ${url.pathname}${url.search}`);
        send(404, { message: 'Not Found' });
      }
    });
  });
  await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address()); // a TCP server's, listening
  state.url = `http://127.0.0.1:${port}`;
  return state;
}

/**
 * A zip of one file, stored, as an artifact's: what the action downloads and unzips.
 * @param {string} name the file's name in the zip
 * @param {string} text its content
 * @returns {Buffer}
 */
function zipOf(name, text) {
  const data = Buffer.from(text);
  const fileName = Buffer.from(name);
  const checksum = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(checksum, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(checksum, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(local.length + fileName.length + data.length, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

/**
 * A picture of the page's comment, at twice its size.
 * @param {string} page the page's HTML, whole
 * @returns {Promise<Buffer>} a PNG
 */
async function screenshot(page) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({
      viewport: { width: CONTENT_WIDTH + 100, height: 600 },
      deviceScaleFactor: 2,
      colorScheme: 'light',
      offline: true,
    });
    // The page is given whole: nothing is to be fetched, and nothing may be.
    await context.route('**/*', (route) => route.abort());
    const tab = await context.newPage();
    await tab.setContent(page, { waitUntil: 'load' });
    await tab.evaluate(() => {
      const { document } = /** @type {PageGlobals} */ (/** @type {unknown} */ (globalThis));
      return document.fonts.ready;
    });
    const overflowing = await tab.evaluate(() => {
      const { document } = /** @type {PageGlobals} */ (/** @type {unknown} */ (globalThis));
      return [...document.querySelectorAll('.markdown-body table')].map(
        (table) => table.scrollWidth - table.clientWidth,
      );
    });
    const widest = Math.max(0, ...overflowing);
    if (widest > 0) {
      console.warn(`A table is ${widest} px wider than the comment: it is cut off. Make CONTENT_WIDTH larger.`);
    }
    return await tab.locator('.comment').screenshot({ animations: 'disabled' });
  } finally {
    await browser.close();
  }
}

/**
 * A PNG's width and height, from its IHDR chunk.
 * @param {Buffer} png
 * @returns {{ width: number, height: number }}
 */
function pngSize(png) {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Without these, emoji show as boxes and the text in DejaVu: the picture would not look like GitHub's. */
function warnOfMissingFonts() {
  if (process.platform !== 'linux') return;
  let families = '';
  try {
    families = execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' });
  } catch {
    return;
  }
  /** @type {[family: string, pkg: string][]} */
  const fonts = [
    ['Noto Color Emoji', 'fonts-noto-color-emoji'],
    ['Noto Sans', 'fonts-noto-core'],
    ['Liberation Mono', 'fonts-liberation2'],
  ];
  const missing = fonts.filter(([family]) => !families.includes(family));
  if (missing.length > 0) {
    console.warn(
      `Fonts missing: ${missing.map(([family]) => family).join(', ')}; the picture will look less like GitHub's. ` +
        `Install them: sudo apt-get install ${missing.map(([, pkg]) => pkg).join(' ')}`,
    );
  }
}

await main();
