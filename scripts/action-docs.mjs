// README's tables of the action's inputs and outputs, made from action.yml so that the two cannot drift.
// `node scripts/action-docs.mjs` rewrites them in README.md, between the marker comments, formatted as prettier
// formats README; the tests check that README is what this makes of it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { parse } from 'yaml';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** A table cell: one line, and a `|` that cannot end the cell. @param {string} text */
const cell = (text) => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

/**
 * @param {string} actionYaml the text of action.yml
 * @returns {{ inputs: string, outputs: string }} the two Markdown tables
 */
export function actionTables(actionYaml) {
  const action = parse(actionYaml);
  const inputs = Object.entries(action.inputs ?? {}).map(([name, input]) => {
    const fallback = input.required ? '(required)' : '(none)';
    const value = input.default === undefined || input.default === '' ? fallback : `\`${input.default}\``;
    return `| \`${name}\` | ${value} | ${cell(input.description ?? '')} |`;
  });
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description ?? '')} |`,
  );
  return {
    inputs: ['| Input | Default | What it does |', '| --- | --- | --- |', ...inputs].join('\n'),
    outputs: ['| Output | What it holds |', '| --- | --- |', ...outputs].join('\n'),
  };
}

/**
 * README with its tables replaced by `tables`, between `<!-- inputs:start -->` and `<!-- inputs:end -->` (the same
 * for outputs).
 * @param {string} readme
 * @param {{ inputs: string, outputs: string }} tables
 */
export function withTables(readme, tables) {
  let text = readme;
  for (const [name, table] of Object.entries(tables)) {
    const pattern = new RegExp(`(<!-- ${name}:start[^>]*-->\\n)[\\s\\S]*?(\\n<!-- ${name}:end -->)`);
    if (!pattern.test(text))
      throw new Error(`README.md has no <!-- ${name}:start --> ... <!-- ${name}:end --> markers.`);
    text = text.replace(pattern, (_, start, end) => `${start}\n${table}\n${end}`);
  }
  return text;
}

/** README.md as it should be: its tables made from action.yml, formatted by prettier with the project's settings. */
export async function readmeWithActionTables() {
  const readmePath = path.join(root, 'README.md');
  const tables = actionTables(readFileSync(path.join(root, 'action.yml'), 'utf8'));
  const options = await prettier.resolveConfig(readmePath);
  return prettier.format(withTables(readFileSync(readmePath, 'utf8'), tables), { ...options, filepath: readmePath });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(path.join(root, 'README.md'), await readmeWithActionTables());
}
