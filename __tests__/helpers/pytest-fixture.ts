/** What __tests__/fixtures/pytest/leaks plants: the leaks, each with what it keeps, and the tests that must stay quiet. */
const MB = 1_000_000;

/** Each planted leak, and what it keeps. */
export const PYTEST_LEAKS: Readonly<Record<string, number>> = {
  'leaks/test_leaks.py::test_module_state_leak': 30 * MB,
  'leaks/test_leaks.py::test_native_leak': 30 * MB,
  'leaks/test_leaks.py::test_fixture_leak': 25 * MB,
  'leaks/test_leaks.py::test_fixture_teardown_leak': 25 * MB,
  'leaks/test_leaks.py::test_leak_then_fail': 30 * MB,
  'leaks/test_leaks.py::test_odd_ids[pipe|and`tick`]': 20 * MB,
  'leaks/test_leaks.py::test_odd_ids[<img src=x onerror=alert(1)>]': 20 * MB,
  'leaks/test_leaks.py::test_odd_ids[@someone]': 20 * MB,
  'leaks/test_leaks.py::test_odd_ids[\\xfcn\\xefc\\xf8d\\xe9-\\u540d\\u524d]': 20 * MB,
  [`leaks/test_leaks.py::test_odd_ids[long-${'x'.repeat(300)}]`]: 20 * MB,
  'leaks/test_leaks.py::test_odd_ids[a/b::c[d]]': 20 * MB,
  'leaks/test_leaks.py::TestRemoteService::test_connection': 40 * MB,
};

/** Tests that keep less than the limit, or keep memory once only (a cache filled, a lazy import), or none at all. */
export const PYTEST_LOOKALIKES: readonly string[] = [
  'leaks/test_leaks.py::TestRemoteService::test_small_leak',
  'leaks/test_lookalikes.py::test_fixture_frees_in_teardown',
  'leaks/test_lookalikes.py::test_fixture_value_freed_after_test',
  'leaks/test_lookalikes.py::test_reference_cycles',
  'leaks/test_lookalikes.py::test_reference_cycles_promoted_to_the_oldest_generation',
  'leaks/test_lookalikes.py::test_large_temporaries',
  'leaks/test_lookalikes.py::test_fills_cache_once',
  'leaks/test_lookalikes.py::test_uses_cache',
  'leaks/test_lookalikes.py::test_lazy_import',
  'leaks/test_lookalikes.py::test_first_user_of_shared_dataset',
  'leaks/test_lookalikes.py::test_second_user_of_shared_dataset',
  'leaks/test_lookalikes.py::test_skipped',
  'leaks/test_lookalikes.py::test_expected_failure',
];
