/**
 * Where a test is written, for runners that do not say (Mocha, node:test, Vitest without includeTaskLocation, which
 * would change its output): the line of its `it('title'` call, found by following its describe blocks' calls
 * through the source. Titles built at run time (template literals, loops) are not found: null, never a guess.
 */

const CALLS = 'describe|context|suite|it|test|specify';

export function findTestLine(source: string, titles: readonly string[]): number | null {
  let position = 0;
  for (const [index, title] of titles.entries()) {
    const found = findCall(source, title, position);
    if (found === undefined) {
      if (index === titles.length - 1) return null;
      continue; // a describe block whose title is computed: look for the rest from where we are
    }
    position = found;
  }
  return lineAt(source, position);
}

function findCall(source: string, title: string, from: number): number | undefined {
  const literal = escapeRegExp(title);
  const call = new RegExp(`\\b(?:${CALLS})(?:\\.\\w+)*\\s*\\(\\s*(['"\`])${literal}\\1`, 'g');
  call.lastIndex = from;
  return call.exec(source)?.index;
}

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let at = source.indexOf('\n'); at !== -1 && at < index; at = source.indexOf('\n', at + 1)) line++;
  return line;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
