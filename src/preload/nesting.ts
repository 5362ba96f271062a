/** Where one test runs inside another: the subtests of node:test, for the preload and for leakwatch's own confirming. */

export interface Placed {
  file: string;
  /** Describe blocks, then the test's title; null where the runner has none (pytest). */
  titles: readonly string[] | null;
}

/** `inner` runs inside `outer`: the same file, and inner's titles continue outer's. */
export function isWithin(inner: Placed, outer: Placed): boolean {
  const [innerTitles, outerTitles] = [inner.titles ?? [], outer.titles ?? []];
  return (
    inner.file === outer.file &&
    outerTitles.length > 0 &&
    innerTitles.length > outerTitles.length &&
    outerTitles.every((title, index) => innerTitles[index] === title)
  );
}
