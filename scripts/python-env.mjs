// Finds a Python (3.9+) with pytest and pytest-xdist for leakwatch's own tests, demo and benchmarks, or makes one:
// a virtual environment in .venv, filled by pip. Returns the directory holding its `python` and `pytest`, to put
// first on PATH. For the Python versions leakwatch claims (the oldest and the newest), `pathWithPytestOn` makes one
// per version: .venv-3.9, .venv-3.13..., each once, and kept.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const venv = path.join(root, '.venv');
const venvPython = path.join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
// pip tries each package index several times, waiting longer each time: an unreachable index (the default one, on a
// machine with a mirror) would cost about a minute an install. One retry is enough for a flaky network.
const PIP_INSTALL = ['-m', 'pip', 'install', '--quiet', '--retries', '1', 'pytest', 'pytest-xdist'];
const READY =
  'import sys, sysconfig; assert sys.version_info >= (3, 9); import pytest, xdist; print(sysconfig.get_path("scripts"))';

/** @returns {string} the scripts directory of a Python that has pytest and pytest-xdist */
export function pythonScriptsDirectory() {
  for (const python of [venvPython, 'python3', 'python']) {
    const scripts = tryPython(python, READY);
    if (scripts) return scripts;
  }
  const base = ['python3', 'python'].find((python) =>
    tryPython(python, 'import sys; assert sys.version_info >= (3, 9); print(1)'),
  );
  if (!base) throw new Error('leakwatch needs Python 3.9 or newer on PATH (as python3 or python) for its tests.');
  console.error(`Installing pytest and pytest-xdist into ${venv} ...`);
  if (!existsSync(venvPython)) execFileSync(base, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(venvPython, PIP_INSTALL, { stdio: 'inherit' });
  const scripts = tryPython(venvPython, READY);
  if (!scripts) throw new Error(`pytest and pytest-xdist did not install into ${venv}.`);
  return scripts;
}

/** @returns {string} PATH with that Python's scripts first */
export function pathWithPytest() {
  return [pythonScriptsDirectory(), process.env.PATH ?? ''].join(path.delimiter);
}

/** Prints the scripts directory when this Python is the version given (`3.9`) and has pytest and pytest-xdist. */
const READY_ON =
  'import sys, sysconfig; assert "%d.%d" % sys.version_info[:2] == sys.argv[1]; import pytest, xdist; print(sysconfig.get_path("scripts"))';
/** Prints 1 when this Python is the version given. */
const IS_VERSION = 'import sys; assert "%d.%d" % sys.version_info[:2] == sys.argv[1]; print(1)';
/** Prints where this Python's pure-Python packages go. */
const PURELIB = 'import sysconfig; print(sysconfig.get_path("purelib"))';

/**
 * PATH with the scripts of a virtual environment of that Python version first, holding pytest and pytest-xdist at
 * the newest releases pip finds for that version: `.venv-<version>`, made from that Python the first time and kept.
 * Fails, naming what to install, when the machine has no such Python.
 * @param {string} version a minor version: `3.9`, `3.13`
 * @returns {Promise<string>}
 */
export async function pathWithPytestOn(version) {
  if (!/^3\.\d+$/.test(version)) throw new Error(`Not a Python minor version: '${version}'. Use e.g. 3.9 or 3.13.`);
  const venv = path.join(root, `.venv-${version}`);
  const python = path.join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  let scripts = await tryPythonAsync([python], READY_ON, version);
  if (scripts) return [scripts, process.env.PATH ?? ''].join(path.delimiter);
  const base = await findPython(version);
  console.error(`Installing pytest and pytest-xdist for Python ${version} into ${venv} ...`);
  // A folder left by another Python, or half made, is made again.
  if (!(await tryPythonAsync([python], IS_VERSION, version))) {
    await run(base[0] ?? '', [...base.slice(1), '-m', 'venv', '--clear', venv]);
  }
  const pipInstall = () => run(python, PIP_INSTALL);
  try {
    await pipInstall();
  } catch (error) {
    if (!(await addDebianDependencies(python, version))) throw error;
    await pipInstall();
  }
  scripts = await tryPythonAsync([python], READY_ON, version);
  if (!scripts) throw new Error(`pytest and pytest-xdist did not install into ${venv} for Python ${version}.`);
  return [scripts, process.env.PATH ?? ''].join(path.delimiter);
}

/**
 * Below Python 3.11 pytest needs tomli, and on 3.9 an iniconfig older than 2.3: a package index may have no build of
 * them for that Python (this project's machines' has tomli built for 3.11 alone, and iniconfig 2.3 alone), so pip
 * finds no pytest. On Debian, its packages of them, pure Python for any Python 3, are put into the environment, where
 * pip then finds them installed and resolves the rest itself.
 * @param {string} python the environment's
 * @param {string} version
 * @returns {Promise<boolean>} whether they were added: false where this does not apply
 */
async function addDebianDependencies(python, version) {
  if (Number(version.split('.')[1]) >= 11 || !(await succeeds('apt-get', ['--version']))) return false;
  console.error(
    `pip found no pytest for Python ${version} with its dependencies: adding Debian's python3-iniconfig and ` +
      'python3-tomli, then pip again ...',
  );
  const downloads = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-debs-'));
  try {
    const download = () => run('apt-get', ['download', 'python3-iniconfig', 'python3-tomli'], downloads);
    // A fresh machine may have no package lists yet.
    await download().catch(async () => {
      await run('apt-get', ['update', '-qq']);
      await download();
    });
    for (const deb of readdirSync(downloads).filter((name) => name.endsWith('.deb'))) {
      await run('dpkg-deb', ['-x', path.join(downloads, deb), path.join(downloads, 'files')]);
    }
    const purelib = await tryPythonAsync([python], PURELIB, '');
    if (!purelib) return false;
    cpSync(path.join(downloads, 'files/usr/lib/python3/dist-packages'), purelib, { recursive: true });
    return true;
  } finally {
    rmSync(downloads, { recursive: true, force: true });
  }
}

/**
 * A Python of that version: `python3.X` on PATH, `python3` or `python` when they are it, pyenv's (installed but not
 * selected), or the Windows launcher's.
 * @param {string} version
 * @returns {Promise<string[]>} its command and first arguments
 */
async function findPython(version) {
  /** @type {string[][]} */
  const candidates = [[`python${version}`], ['python3'], ['python']];
  const installed = path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv'), 'versions');
  if (existsSync(installed)) {
    const patch = (/** @type {string} */ name) => Number(name.slice(version.length + 1));
    const patches = readdirSync(installed)
      .filter((name) => name.startsWith(`${version}.`) && /^\d+$/.test(name.slice(version.length + 1)))
      .sort((a, b) => patch(b) - patch(a));
    for (const name of patches) candidates.push([path.join(installed, name, 'bin', `python${version}`)]);
  }
  if (process.platform === 'win32') candidates.push(['py', `-${version}`]);
  for (const candidate of candidates) {
    if (await tryPythonAsync(candidate, IS_VERSION, version)) return candidate;
  }
  throw new Error(
    `leakwatch's tests run pytest on Python ${version}, and this machine has none: install Python ${version} so that ` +
      `python${version} is on PATH (e.g. \`pyenv install ${version}\`, \`uv python install ${version}\`, or your ` +
      `system's python${version} package), then run the tests again.`,
  );
}

/**
 * @param {string[]} command a Python's command and first arguments
 * @param {string} code
 * @param {string} argument its sys.argv[1]
 * @returns {Promise<string | undefined>} what the code printed, or undefined when it failed
 */
function tryPythonAsync(command, code, argument) {
  const [file = '', ...args] = command;
  return new Promise((resolve) => {
    execFile(file, [...args, '-c', code, argument], { encoding: 'utf8' }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim());
    });
  });
}

/**
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<boolean>} whether it ran and exited 0
 */
function succeeds(command, args) {
  return new Promise((resolve) => {
    execFile(command, args, (error) => resolve(!error));
  });
}

/**
 * Runs a command to a zero exit, its output kept: a failure tells the end of it.
 * @param {string} command
 * @param {string[]} args
 * @param {string} [cwd]
 * @returns {Promise<void>}
 */
function run(command, args, cwd) {
  return new Promise(
    /** @type {(resolve: () => void, reject: (error: Error) => void) => void} */ (resolve, reject) => {
      const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const keep = (/** @type {Buffer} */ chunk) => (output = (output + chunk.toString()).slice(-20_000));
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.once('error', reject);
      child.once('close', (code) => {
        if (code === 0) resolve();
        else {
          const last = output
            .split('\n')
            .filter((line) => line.trim() && !/^WARNING: (Retrying|Location)/.test(line))
            .slice(-15);
          reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${last.join('\n')}`));
        }
      });
    },
  );
}

/**
 * @param {string} python
 * @param {string} code
 * @returns {string | undefined} what the code printed, or undefined when it failed
 */
function tryPython(python, code) {
  try {
    return execFileSync(python, ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
