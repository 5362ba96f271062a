// `node scripts/release-notes.mjs 1.0.0`: prints the body of CHANGELOG.md's `## [1.0.0] - YYYY-MM-DD` section, the
// release notes the release workflow (.github/workflows/release.yml) gives the GitHub release. Exits 1, saying why,
// when the version has no section or an empty one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * The body of a version's section of a Keep a Changelog file: the lines after its `## [version]` heading up to the
 * next `## ` heading, without the blank lines around them or the link reference definitions (`[1.0.0]: https://...`)
 * that end the file.
 * @param {string} changelog the text of CHANGELOG.md
 * @param {string} version `1.0.0` (a leading `v` is dropped)
 * @returns {string} the section's body, ending in a newline
 * @throws {Error} when the version has no section, or only an empty one
 */
export function releaseNotes(changelog, version) {
  const wanted = version.trim().replace(/^v/, '');
  const lines = changelog.split(/\r?\n/);
  const headings = lines.flatMap((line, index) => {
    const match = /^## \[([^\]]+)\](?:\s|$)/.exec(line);
    return match?.[1] === undefined ? [] : [{ version: match[1], index }];
  });
  const heading = headings.find((found) => found.version === wanted);
  if (!heading) {
    const known = headings.map((found) => found.version).join(', ') || 'none';
    throw new Error(
      `CHANGELOG.md has no section for ${wanted} (a "## [${wanted}] - YYYY-MM-DD" heading). It has: ${known}.`,
    );
  }
  const end = lines.findIndex((line, index) => index > heading.index && line.startsWith('## '));
  const body = lines.slice(heading.index + 1, end === -1 ? lines.length : end);
  const isBlank = (/** @type {string | undefined} */ line) => line !== undefined && line.trim() === '';
  const isLinkReference = (/** @type {string | undefined} */ line) =>
    line !== undefined && /^\s{0,3}\[[^\]]+\]:\s*\S+/.test(line);
  while (isBlank(body.at(-1)) || isLinkReference(body.at(-1))) body.pop();
  while (isBlank(body[0])) body.shift();
  if (body.length === 0)
    throw new Error(`CHANGELOG.md's section for ${wanted} is empty: say what the release changes.`);
  return `${body.join('\n')}\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const version = process.argv[2];
  if (version === undefined || process.argv.length > 3) {
    console.error('Usage: node scripts/release-notes.mjs VERSION (for instance 1.0.0)');
    process.exit(2);
  }
  try {
    process.stdout.write(releaseNotes(readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), version));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
