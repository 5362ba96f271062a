/** A really small filesystem for tests of a full disk: a 64 KB tmpfs, where the machine lets a test mount one. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The mounted directory, or undefined where mounting is refused (not root, a container without the right). */
export function mountSmallDisk(): string | undefined {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'leakwatch-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', directory], { stdio: 'ignore' });
    return directory;
  } catch {
    return undefined;
  }
}

export function unmount(directory: string | undefined): void {
  if (directory !== undefined) execFileSync('umount', [directory]);
}
