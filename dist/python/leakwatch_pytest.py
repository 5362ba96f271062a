"""leakwatch's pytest plugin: records how much memory each test keeps.

leakwatch loads it through PYTEST_PLUGINS and PYTHONPATH, so the project's own conftest, plugins and options stay as
they are. Each pytest process (every xdist worker too) appends one JSON line per event to a file of its own in
LEAKWATCH_DIR, writing each line as the event happens so that a crash loses nothing that finished.

A test's figure is the resident memory (RSS) it kept: measured before its setup and after its teardown, each time
after handing the allocator's free memory back to the system, and after a full garbage collection where it could
matter (see Recorder._read). Setting up fixtures of wider
scope (module, session...) is not charged to the test that happens to set them up first, and tearing them down is
not credited to the last.

When LEAKWATCH_CONFIRM names a test (leakwatch confirming a suspect), every other test is deselected and that one runs
several times in a row, each run measured, to tell a leak (it keeps memory run after run) from a warm-up.

Nothing here may change a test's outcome: every failure to measure is recorded and ends measuring, never the run.
Standard library only; Python 3.9+ on Linux, macOS and Windows.
"""

import gc
import json
import os
import sys
import time

import pytest

FORMAT = 1
QUICK_TEST_SECONDS = 0.002

_registered_config = None  # the first pytest session in this process; nested ones (pytester) are left alone


def pytest_configure(config):
    global _registered_config
    directory = os.environ.get("LEAKWATCH_DIR")
    if not directory or _registered_config is not None:
        return
    _registered_config = config
    config.pluginmanager.register(Recorder(config, directory), "leakwatch-recorder")


def pytest_unconfigure(config):
    global _registered_config
    if config is _registered_config:
        _registered_config = None


# --- Reading memory, one implementation per platform -------------------------------------------------------------


class Memory:
    """What this platform can tell: current RSS always; a resettable peak and a way to trim the heap where possible."""

    trims = False
    tracks_peak = False

    def rss(self):
        raise NotImplementedError

    def trim(self):
        pass

    def reset_peak(self):
        pass

    def peak(self):
        return None


class LinuxMemory(Memory):
    def __init__(self):
        self._page_size = os.sysconf("SC_PAGE_SIZE")
        self._statm = os.open("/proc/self/statm", os.O_RDONLY)
        self.rss()
        self._malloc_trim = _glibc_malloc_trim()
        self.trims = self._malloc_trim is not None
        try:
            # Writing 5 to clear_refs resets the peak (VmHWM) so that each test gets a peak of its own.
            self._clear_refs = os.open("/proc/self/clear_refs", os.O_WRONLY)
            self._status = os.open("/proc/self/status", os.O_RDONLY)
            os.write(self._clear_refs, b"5")
            self.tracks_peak = self.peak() is not None
        except OSError:
            self._clear_refs = None

    def rss(self):
        return int(os.pread(self._statm, 512, 0).split()[1]) * self._page_size

    def trim(self):
        if self._malloc_trim is not None:
            self._malloc_trim(0)

    def reset_peak(self):
        if self.tracks_peak:
            os.write(self._clear_refs, b"5")

    def peak(self):
        if self._clear_refs is None:
            return None
        status = os.pread(self._status, 8192, 0)
        start = status.find(b"VmHWM:")
        return None if start < 0 else int(status[start:].split()[1]) * 1024


def _glibc_malloc_trim():
    try:
        import ctypes

        malloc_trim = ctypes.CDLL(None).malloc_trim
    except (ImportError, OSError, AttributeError):  # musl and other libcs have no malloc_trim
        return None
    malloc_trim.argtypes = [ctypes.c_size_t]
    malloc_trim.restype = ctypes.c_int
    return malloc_trim


class MacMemory(Memory):
    def __init__(self):
        import ctypes
        import ctypes.util

        class MachTaskBasicInfo(ctypes.Structure):
            _fields_ = [
                ("virtual_size", ctypes.c_uint64),
                ("resident_size", ctypes.c_uint64),
                ("resident_size_max", ctypes.c_uint64),
                ("user_time", ctypes.c_int32 * 2),
                ("system_time", ctypes.c_int32 * 2),
                ("policy", ctypes.c_int32),
                ("suspend_count", ctypes.c_int32),
            ]

        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        self._ctypes = ctypes
        self._task = ctypes.c_uint32.in_dll(libc, "mach_task_self_")
        self._task_info = libc.task_info
        self._info = MachTaskBasicInfo()
        self._count = ctypes.c_uint32(ctypes.sizeof(MachTaskBasicInfo) // 4)
        relief = libc.malloc_zone_pressure_relief
        relief.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        relief.restype = ctypes.c_size_t
        self._pressure_relief = relief
        self.trims = True
        self.rss()

    def rss(self):
        count = self._ctypes.c_uint32(self._count.value)
        mach_task_basic_info = 20
        status = self._task_info(
            self._task, mach_task_basic_info, self._ctypes.byref(self._info), self._ctypes.byref(count)
        )
        if status != 0:
            raise OSError("task_info failed with status %d" % status)
        return int(self._info.resident_size)

    def trim(self):
        self._pressure_relief(None, 0)


class WindowsMemory(Memory):
    def __init__(self):
        import ctypes
        from ctypes import wintypes

        class ProcessMemoryCounters(ctypes.Structure):
            _fields_ = [
                ("cb", wintypes.DWORD),
                ("PageFaultCount", wintypes.DWORD),
                ("PeakWorkingSetSize", ctypes.c_size_t),
                ("WorkingSetSize", ctypes.c_size_t),
                ("QuotaPeakPagedPoolUsage", ctypes.c_size_t),
                ("QuotaPagedPoolUsage", ctypes.c_size_t),
                ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
                ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                ("PagefileUsage", ctypes.c_size_t),
                ("PeakPagefileUsage", ctypes.c_size_t),
            ]

        kernel32 = ctypes.WinDLL("kernel32")
        kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        get_info = kernel32.K32GetProcessMemoryInfo
        get_info.argtypes = [wintypes.HANDLE, ctypes.POINTER(ProcessMemoryCounters), wintypes.DWORD]
        get_info.restype = wintypes.BOOL
        self._ctypes = ctypes
        self._process = kernel32.GetCurrentProcess()
        self._get_info = get_info
        self._counters = ProcessMemoryCounters()
        self._counters.cb = ctypes.sizeof(ProcessMemoryCounters)
        self.rss()

    def rss(self):
        if not self._get_info(self._process, self._ctypes.byref(self._counters), self._counters.cb):
            raise OSError("GetProcessMemoryInfo failed")
        return int(self._counters.WorkingSetSize)


def open_memory():
    if sys.platform.startswith("linux"):
        return LinuxMemory()
    if sys.platform == "darwin":
        return MacMemory()
    if sys.platform == "win32":
        return WindowsMemory()
    raise OSError("leakwatch cannot read memory on %s" % sys.platform)


# --- Recording -----------------------------------------------------------------------------------------------------


class Measurement:
    """One run of one test, from before its setup to the end of its teardown."""

    def __init__(self, item, before, blocks_before):
        self.item = item
        self.before = before
        self.blocks_before = blocks_before
        self.started = time.perf_counter()
        self.shared_depth = 0
        self.shared_setup = 0  # what wider-scoped fixtures took while this test set them up
        self.teardown_start = None  # settled RSS before wider-scoped fixtures were torn down after this test
        self.teardown_end = None
        self.outcome = None

    def shared_teardown(self):
        return 0 if self.teardown_start is None else self.teardown_end - self.teardown_start


class Recorder:
    def __init__(self, config, directory):
        self._limit = _int_env("LEAKWATCH_LIMIT", 10 * 1000 * 1000)
        self._confirm = _confirm_target()
        self._directory = directory
        self._file = None
        self._memory = None
        self._current = None
        self._settled = None  # a settled RSS still valid as the next test's starting point
        self._collected_at = None  # RSS after the last full collection: what grew since may be garbage
        self._collected_time = 0.0  # when that collection ended, and how long it took: they are kept to 1/20 of the time
        self._collect_cost = 0.0
        header = {
            "type": "process",
            "format": FORMAT,
            "runner": "pytest",
            "runnerVersion": pytest.__version__,
            "python": "%d.%d.%d" % sys.version_info[:3],
            "platform": sys.platform,
            "pid": os.getpid(),
            "worker": os.environ.get("PYTEST_XDIST_WORKER"),
            "rootdir": str(config.rootpath) if hasattr(config, "rootpath") else str(config.rootdir),
        }
        try:
            self._memory = open_memory()
            header.update(trims=self._memory.trims, tracksPeak=self._memory.tracks_peak)
        except Exception as error:  # noqa: BLE001 - any failure means "cannot measure here", never a crash
            header["error"] = "cannot read memory: %s: %s" % (type(error).__name__, error)
        self._write(header)

    # pytest hooks

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, session, config, items):
        if self._confirm is None:
            return
        wanted = [item for item in items if item.nodeid == self._confirm["id"]]
        others = [item for item in items if item.nodeid != self._confirm["id"]]
        if others:
            config.hook.pytest_deselected(items=others)
        items[:] = wanted

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self._guard(self._begin, item)
        yield
        self._guard(self._end)
        if self._confirm is not None and item.nodeid == self._confirm["id"]:
            self._guard(self._run_again, item, self._confirm["runs"] - 1)

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_fixture_setup(self, fixturedef, request):
        current = self._current
        if fixturedef.scope == "function" or self._memory is None:
            yield
            return
        if current is None or current.shared_depth > 0:
            self._settled = None
            yield
            return
        current.shared_depth += 1
        before = self._guard(self._settle)
        yield
        current.shared_depth -= 1
        after = self._guard(self._settle)
        if before is not None and after is not None and self._looks_large(after - before):
            after = self._guard(self._settle, True)
        if before is not None and after is not None:
            current.shared_setup += after - before

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item, nextitem):
        current = self._current
        if current is not None and current.item is item and self._memory is not None:
            self._guard(self._bracket_shared_teardown, current, nextitem)
        yield

    @pytest.hookimpl(tryfirst=True)
    def pytest_fixture_post_finalizer(self, fixturedef, request):
        if fixturedef.scope == "function" or self._memory is None:
            return
        self._settled = None
        current = self._current
        if current is not None and current.teardown_start is not None:
            current.teardown_end = self._guard(self._settle)

    def pytest_runtest_logreport(self, report):
        current = self._current
        if current is not None and report.nodeid == current.item.nodeid:
            current.outcome = _merge_outcome(current.outcome, report)

    def pytest_sessionfinish(self, session, exitstatus):
        self._write({"type": "end", "exitstatus": int(exitstatus)})

    # measuring

    def _settle(self, full=False):
        """RSS after collecting garbage and giving the allocator's free memory back.

        A full collection costs milliseconds on a large heap (8 ms with 300,000 live objects), too much for every
        test; the youngest generation costs less and holds what was just let go of. Runs alone always collect fully.
        """
        gc.collect() if full or self._confirm is not None else gc.collect(0)
        return self._read()

    def _read(self):
        """RSS with the allocator's free memory given back, and no collection: what most tests' ends need.

        Even the youngest generation's collection costs 0.07 ms on a heap of a million objects, as much as the rest
        of the plugin; most garbage goes at once, by reference counting. Cyclic garbage a test leaves only overstates
        its figure, and a figure that looks like a leak is settled with a full collection. What it overstates stays
        as garbage that a later collection could take from a later test's figure: once RSS grew by a quarter of the
        limit since the last full collection, the next test starts from one, within a fiftieth of the time.
        """
        self._memory.trim()
        return self._memory.rss()

    def _collect(self):
        started = time.perf_counter()
        self._collected_at = self._settle(full=True)
        self._collected_time = time.perf_counter()
        self._collect_cost = self._collected_time - started
        return self._collected_at

    def _collection_is_due(self):
        """RSS grew by a quarter of the limit since the last full collection (garbage may hide in it), and that
        collection's cost is less than a fiftieth of the time since."""
        grown = self._settled - self._collected_at > self._limit / 4
        return grown and time.perf_counter() - self._collected_time > 50 * self._collect_cost

    def _looks_large(self, size):
        return abs(size) > self._limit / 2

    def _begin(self, item):
        if self._settled is not None and not self._collection_is_due():
            before = self._settled
        else:
            before = self._collect()
        self._settled = None
        self._memory.reset_peak()
        # Counting Python's memory blocks walks its whole heap (0.1 ms with a million objects): only runs alone do it.
        blocks = sys.getallocatedblocks() if self._confirm is not None else None
        self._current = Measurement(item, before, blocks)
        file, line = _location(item)
        self._write({"type": "start", "id": item.nodeid, "file": file, "line": line, "before": before})

    def _bracket_shared_teardown(self, current, nextitem):
        """When this teardown also tears down a module, class or session, settle once before that starts.

        Our finalizer on the first parent node to go runs after every function-scoped finalizer of the test and
        before any of that node's own (it is added last, and finalizers run last-in first-out).
        """
        parent = current.item.parent
        if parent is None or (nextitem is not None and parent in nextitem.listchain()):
            return

        def settle_before_shared_teardown():
            start = self._guard(self._settle)
            if start is not None:
                current.teardown_start = current.teardown_end = start

        parent.addfinalizer(settle_before_shared_teardown)

    def _end(self, outcome=None):
        current = self._current
        if current is None:
            return
        self._current = None
        # Reading the peak costs 0.02 ms; a test that took under 2 ms had no time to touch much memory.
        peak = self._memory.peak() if time.perf_counter() - current.started > QUICK_TEST_SECONDS else None
        after = self._read() if self._confirm is None else self._settle(full=True)
        shared = current.shared_setup + current.shared_teardown()
        if self._looks_large(after - current.before - shared):
            after = self._collect()
        self._settled = after  # nothing runs between this test's end and the next one's start
        file, line = _location(current.item)
        record = {
            "type": "test",
            "id": current.item.nodeid,
            "file": file,
            "line": line,
            "before": current.before,
            "after": after,
            "delta": after - current.before - shared,
            "sharedSetup": current.shared_setup,
            "sharedTeardown": current.shared_teardown(),
            "peak": peak,
            "allocatedBlocks": None
            if current.blocks_before is None
            else sys.getallocatedblocks() - current.blocks_before,
            "duration": round(time.perf_counter() - current.started, 6),
            "outcome": outcome or current.outcome or "unknown",
        }
        self._write(record)

    def _run_again(self, item, times):
        """Run the test being confirmed again, unlogged, each run measured like the first."""
        from _pytest.runner import runtestprotocol

        for _ in range(times):
            self._settled = None
            self._begin(item)
            outcome = None
            for report in runtestprotocol(item, nextitem=None, log=False):
                outcome = _merge_outcome(outcome, report)
            self._end(outcome or "unknown")
            if self._memory is None:
                return

    def _guard(self, action, *args):
        """Run a measuring step; the first failure is recorded and ends measuring, and the tests go on."""
        if self._memory is None:
            return None
        try:
            return action(*args)
        except Exception as error:  # noqa: BLE001 - measuring must never fail a test
            self._memory = None
            self._current = None
            self._write({"type": "error", "error": "%s: %s" % (type(error).__name__, error)})
            return None

    def _write(self, record):
        try:
            if self._file is None:
                os.makedirs(self._directory, exist_ok=True)
                name = "pytest-%d-%d.jsonl" % (os.getpid(), time.time_ns())
                self._file = os.open(os.path.join(self._directory, name), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            # One write per record, straight to the kernel: a crash a moment later loses nothing written before.
            os.write(self._file, (json.dumps(record, separators=(",", ":")) + "\n").encode("utf-8"))
        except OSError as error:
            if self._memory is not None:
                sys.stderr.write("leakwatch: cannot write its records, stopped measuring: %s\n" % error)
            self._memory = None


def _location(item):
    path, line, _ = item.location
    return path.replace(os.sep, "/"), (line + 1 if isinstance(line, int) else None)


def _merge_outcome(outcome, report):
    """The test's outcome as pytest's summary counts it, from its setup, call and teardown reports."""
    was_xfail = hasattr(report, "wasxfail")
    if report.when == "call":
        if report.passed:
            return "xpassed" if was_xfail else "passed"
        if report.skipped:
            return "xfailed" if was_xfail else "skipped"
        return "failed"
    if report.failed:
        return outcome if outcome == "failed" else "error"
    if report.skipped and outcome is None:
        return "xfailed" if was_xfail else "skipped"
    return outcome if outcome is not None else ("passed" if report.when == "teardown" else None)


def _confirm_target():
    """The test leakwatch is confirming, from LEAKWATCH_CONFIRM: {"id": node id, "runs": how many times}."""
    try:
        target = json.loads(os.environ["LEAKWATCH_CONFIRM"])
        return {"id": str(target["id"]), "runs": max(1, int(target["runs"]))}
    except (KeyError, ValueError, TypeError):
        return None


def _int_env(name, default):
    try:
        return int(os.environ[name])
    except (KeyError, ValueError):
        return default
