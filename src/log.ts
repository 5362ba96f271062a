/**
 * The one way leakwatch prints. Lines that carry data (test ids and files, figures, anything read from records, a
 * base report, the environment or GitHub) must never become workflow commands: the Actions runner reads `::cmd::`
 * at a line's start and the legacy `##[cmd]` anywhere in a line, `##[add-mask]`, `##[set-output]` and
 * `##[stop-commands]` among them. So on Actions every batch of lines is fenced by `::stop-commands::<random token>`,
 * inside which the runner runs no command, and each line has its control characters shown as escapes (a line break
 * would start a new line; ANSI escapes would restyle the log). Annotations and the step's failure are commands of
 * leakwatch's own, written outside any fence, with their text cleaned the same way (src/annotate.ts). ESLint keeps
 * every other module from printing through @actions/core or process.stdout.
 */
import { randomBytes } from 'node:crypto';
import { printable } from './format/terminal.js';

type Stream = 'stdout' | 'stderr';

/** Prints lines of text that may carry data: fenced on Actions, with control characters escaped everywhere. */
export function printLines(lines: readonly string[], stream: Stream = 'stdout'): void {
  if (lines.length === 0) return;
  const out = stream === 'stdout' ? process.stdout : process.stderr;
  const text = lines.map((line) => `${printable(line)}\n`).join('');
  if (process.env.GITHUB_ACTIONS !== 'true') {
    out.write(text);
    return;
  }
  // Unguessable, so no line of data can end the fence early.
  const token = `leakwatch-${randomBytes(16).toString('hex')}`;
  out.write(`::stop-commands::${token}\n${text}::${token}::\n`);
}

export function printLine(line: string, stream: Stream = 'stdout'): void {
  printLines([line], stream);
}

/** Text for a command's own message: no terminal colours, printable, and no `##[` for the legacy syntax to find. */
export function inert(text: string): string {
  return printable(text.replace(ANSI_ESCAPE, '')).replaceAll('##[', '#\u200b#[');
}

// eslint-disable-next-line no-control-regex -- the escape character is what it finds
const ANSI_ESCAPE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
