// Finds a Python (3.9+) with pytest and pytest-xdist for leakwatch's own tests, demo and benchmarks, or makes one:
// a virtual environment in .venv, filled by pip. Returns the directory holding its `python` and `pytest`, to put
// first on PATH.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const venv = path.join(root, '.venv');
const venvPython = path.join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
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
  execFileSync(venvPython, ['-m', 'pip', 'install', '--quiet', 'pytest', 'pytest-xdist'], { stdio: 'inherit' });
  const scripts = tryPython(venvPython, READY);
  if (!scripts) throw new Error(`pytest and pytest-xdist did not install into ${venv}.`);
  return scripts;
}

/** @returns {string} PATH with that Python's scripts first */
export function pathWithPytest() {
  return [pythonScriptsDirectory(), process.env.PATH ?? ''].join(path.delimiter);
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
