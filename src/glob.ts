/**
 * Globs over test ids, for the `ignore` input. `*` matches any run of characters, `/` and `::` included, and `?`
 * one character; everything else is literal, so that ids with brackets such as `test_x[1-2]` can be written as they
 * are (a usual glob would read `[1-2]` as a character class).
 */
export function compileGlobs(patterns: readonly string[]): (testId: string) => boolean {
  if (patterns.length === 0) return () => false;
  const sources = patterns.map((pattern) =>
    pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')))
      .join('')
      .replace(/(?:\.\*)+/g, '.*'),
  );
  const matcher = new RegExp(`^(?:${sources.join('|')})$`, 'su');
  return (testId) => matcher.test(testId);
}
