import { describe, expect, it } from 'vitest';
import { compileGlobs } from '../src/glob.js';

describe('ignore globs', () => {
  const matches = compileGlobs(['tests/test_cache.py::*', '*::test_warm_up[*]', 'tests/test_?.py::test_a[1-2]']);

  it.each([
    'tests/test_cache.py::test_fill',
    'tests/test_cache.py::TestCache::test_fill[a/b]',
    'tests/deep/test_x.py::TestX::test_warm_up[big]',
    'tests/test_a.py::test_a[1-2]',
  ])('match %s', (id) => {
    expect(matches(id)).toBe(true);
  });

  it.each([
    'tests/test_cache.pyc::test_fill',
    'other/tests/test_cache.py::test_fill',
    'tests/test_x.py::test_warm_up',
    'tests/test_a.py::test_a[1]',
    'tests/test_ab.py::test_a[1-2]',
  ])('do not match %s', (id) => {
    expect(matches(id)).toBe(false);
  });

  it('match nothing when there are none', () => {
    expect(compileGlobs([])('anything')).toBe(false);
  });

  it('take regular expression characters literally', () => {
    expect(compileGlobs(['a.b(c)+|d'])('a.b(c)+|d')).toBe(true);
    expect(compileGlobs(['a.b'])('axb')).toBe(false);
  });
});
