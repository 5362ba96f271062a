/** Byte sizes as users write them (`10MB`, `1.5GiB`) and as leakwatch prints them (`712.0 MB`). */

// KB, MB and GB are powers of 1000, like the figures leakwatch prints; KiB, MiB and GiB powers of 1024.
const UNIT_FACTORS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

export const SIZE_FORMS =
  '512KB, 10MB, 1.5GiB or a plain number of bytes, under 9 PB (KB, MB, GB: powers of 1000; KiB, MiB, GiB: 1024)';

/** The number of bytes `text` names, or undefined when it is not a size. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const [, amount = '', unit = ''] = match;
  const factor = UNIT_FACTORS[unit.toLowerCase() || 'b'];
  if (factor === undefined) return undefined;
  // 400 digits would make Infinity, and anything past 2^53 bytes loses whole bytes: neither is anyone's limit.
  const bytes = Math.round(Number(amount) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/**
 * For a size written with a one-letter unit (`10M`, `512k`), the two sizes it could mean (`10MB or 10MiB`): leakwatch
 * does not guess between powers of 1000 and 1024. Undefined for anything else.
 */
export function sizeSuggestion(text: string): string | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgt])\s*$/i.exec(text);
  if (!match) return undefined;
  const [, amount = '', letter = ''] = match;
  const unit = letter.toUpperCase();
  return `${amount}${unit}B or ${amount}${unit}iB`;
}

const DISPLAY_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** `712.0 MB`, `-3.2 MB`, `640 B`: one decimal, powers of 1000. */
export function formatSize(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  if (value < 1000) return `${sign}${value} B`;
  let unit = 0;
  value /= 1000;
  while (value >= 999.95 && unit < DISPLAY_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${sign}${value.toFixed(1)} ${DISPLAY_UNITS[unit] ?? ''}`;
}
