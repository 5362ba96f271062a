// The self-test's assertions (.github/workflows/ci.yml, job self-test): after a leakwatch step ran on a bundled
// example, checks its outputs and JSON report against what the example holds. Reads the environment:
//
//   LEAKS, TESTS, REPORT  the step's outputs `leaks`, `tests` and `report`
//   UNMEASURED            its output `unmeasured`, if given: must be 0
//   EXPECTED_TESTS        how many tests the example has
//   EXPECTED_LEAKS        the ids of the tests that leak, one per line: as many leaks are expected
//
// Prints each check; on a mismatch prints what was expected and what was found, and exits 1 (2 when the expectations
// themselves are missing). Node 20+, no dependencies, any OS.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {{ leaks?: string | undefined, tests?: string | undefined, unmeasured?: string | undefined,
 *   report?: string | undefined, expectedTests: number, expectedLeaks: string[] }} Expectations
 * @typedef {{ ok: boolean, what: string, expected: string, actual: string }} Check
 */

/**
 * Checks a leakwatch step's outputs and report against the expectations.
 * @param {Expectations} options
 * @returns {Check[]} every check made, in order
 */
export function checkSelfTest({ leaks, tests, unmeasured, report, expectedTests, expectedLeaks }) {
  /** @type {Check[]} */
  const checks = [];
  const check = (/** @type {string} */ what, /** @type {unknown} */ expected, /** @type {unknown} */ actual) => {
    const [wanted, found] = [show(expected), show(actual)];
    checks.push({ ok: wanted === found, what, expected: wanted, actual: found });
  };
  const expectedIds = [...expectedLeaks].sort();

  // An output the step did not set reaches the environment empty.
  const output = (/** @type {string | undefined} */ value) =>
    value === undefined || value === '' ? '(not set)' : value;
  check('output leaks', String(expectedIds.length), output(leaks));
  check('output tests', String(expectedTests), output(tests));
  if (unmeasured !== undefined) check('output unmeasured', '0', output(unmeasured));

  if (report === undefined || report === '') {
    check('output report', 'the path of the JSON report', '(not set)');
    return checks;
  }
  const file = path.resolve(report);
  if (!existsSync(file)) {
    check('report file', `${file} exists`, 'no such file');
    return checks;
  }
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    check('report file', 'JSON', `not JSON: ${error instanceof Error ? error.message : String(error)}`);
    return checks;
  }
  const {
    tests: measured,
    incomplete,
    unmeasured: unmeasuredTests,
  } = /** @type {Record<string, unknown>} */ (parsed ?? {});
  if (!Array.isArray(measured) || !Array.isArray(incomplete) || !Array.isArray(unmeasuredTests)) {
    check('report file', 'a leakwatch report (arrays tests, incomplete, unmeasured)', 'something else');
    return checks;
  }
  check('report: tests measured', expectedTests, measured.length);
  const leakedIds = measured
    .filter((test) => test?.leaked === true)
    .map((test) => String(test.id))
    .sort();
  check('report: ids of the tests that leaked', expectedIds, leakedIds);
  check(
    'report: tests a process died in',
    [],
    incomplete.map((test) => String(test?.id)),
  );
  check(
    'report: tests without a figure',
    [],
    unmeasuredTests.map((test) => String(test?.id)),
  );
  return checks;
}

/**
 * Test ids, and any value with a control character, are shown as JSON strings, so that none (a newline in a
 * parametrized id) can start a workflow command.
 * @param {unknown} value
 */
function show(value) {
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map((item) => JSON.stringify(item)).join(', ');
  // eslint-disable-next-line no-control-regex
  return typeof value === 'string' && !/[\u0000-\u001f]/.test(value) ? value : JSON.stringify(value);
}

/** @param {NodeJS.ProcessEnv} env @returns {number} the exit code */
function main(env) {
  const expectedTests = Number(env.EXPECTED_TESTS);
  if (env.EXPECTED_TESTS === undefined || !Number.isInteger(expectedTests) || expectedTests < 0) {
    console.error('check-self-test: set EXPECTED_TESTS to the number of tests the example has.');
    return 2;
  }
  if (env.EXPECTED_LEAKS === undefined) {
    console.error('check-self-test: set EXPECTED_LEAKS to the ids of the tests that leak, one per line (or empty).');
    return 2;
  }
  const expectedLeaks = env.EXPECTED_LEAKS.split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const checks = checkSelfTest({
    leaks: env.LEAKS,
    tests: env.TESTS,
    unmeasured: env.UNMEASURED,
    report: env.REPORT,
    expectedTests,
    expectedLeaks,
  });
  for (const { ok, what, expected, actual } of checks) {
    console.log(ok ? `ok: ${what}: ${actual}` : `MISMATCH: ${what}: expected ${expected}, actual ${actual}`);
  }
  const failed = checks.filter((found) => !found.ok);
  if (failed.length === 0) {
    console.log(`check-self-test: all ${checks.length} checks passed.`);
    return 0;
  }
  const names = failed.map((found) => found.what).join('; ');
  console.error(`check-self-test: ${failed.length} of ${checks.length} checks failed: ${names}.`);
  // One annotation, of fixed words: the details, which carry test ids, stay in the log.
  if (env.GITHUB_ACTIONS === 'true') console.log(`::error title=leakwatch self-test::${failed.length} checks failed`);
  return 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.env);
}
