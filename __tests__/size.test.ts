import { describe, expect, it } from 'vitest';
import { formatSize, parseSize } from '../src/size.js';

describe('parseSize', () => {
  it.each([
    ['512KB', 512_000],
    ['10MB', 10_000_000],
    ['10 mb', 10_000_000],
    ['1.5GiB', 1.5 * 2 ** 30],
    ['64MiB', 64 * 2 ** 20],
    ['1048576', 1_048_576],
    ['0', 0],
    ['2B', 2],
    ['.5GB', 500_000_000],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', 'ten', '10 megs', '10M', '-5MB', '1e6', '10MB10', 'MB'])('%s is not a size', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
});

describe('formatSize', () => {
  it.each([
    [712_000_000, '712.0 MB'],
    [999_960_000, '1.0 GB'],
    [1_234_567_890, '1.2 GB'],
    [-3_200_000, '-3.2 MB'],
    [640, '640 B'],
    [1_000, '1.0 KB'],
    [0, '0 B'],
  ])('%d bytes read %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});
