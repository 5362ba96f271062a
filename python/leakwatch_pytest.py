"""leakwatch's pytest plugin: records how much memory each test keeps.

leakwatch loads it through PYTEST_PLUGINS and PYTHONPATH, so the project's own conftest, plugins and options stay as
they are. Each pytest process (every xdist worker too) appends one JSON line per event to a file of its own in
LEAKWATCH_DIR, writing each line as the event happens so that a crash loses nothing that finished.

A test's figure is the resident memory (RSS) it kept: measured before its setup and after its teardown, each time
after collecting garbage and handing the allocator's free memory back to the system. Setting up fixtures of wider
scope (module, session...) is not charged to the test that happens to set them up first, and tearing them down is
not credited to the last. Tests that keep more than LEAKWATCH_LIMIT bytes
are run once more at the end of the process, unlogged, to tell a leak (it keeps memory again) from a one-time cost
such as a lazy import or a cache filled once.

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
MAX_REPEATS = 20  # suspects run again per process, largest first; the rest stay reported as leaks
MAX_REPEAT_SECONDS = 30.0  # a suspect that took longer than this is not run again

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
        self._repeat = os.environ.get("LEAKWATCH_REPEAT", "1") != "0"
        self._directory = directory
        self._file = None
        self._memory = None
        self._current = None
        self._settled = None  # a settled RSS still valid as the next test's starting point
        self._suspects = []
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

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self._guard(self._begin, item)
        yield
        self._guard(self._end)

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

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtestloop(self, session):
        yield
        if self._suspects and self._repeat and not (session.shouldfail or session.shouldstop):
            self._guard(self._repeat_suspects)

    def pytest_sessionfinish(self, session, exitstatus):
        self._write({"type": "end", "exitstatus": int(exitstatus)})

    # measuring

    def _settle(self, full=False):
        """RSS after collecting garbage and giving the allocator's free memory back.

        A full collection costs milliseconds on a large heap (8 ms with 300,000 live objects), too much for every
        test; the young generations cost microseconds and hold what a test just let go of. Only a figure that looks
        like a leak is settled again with a full collection, which also finds garbage that got promoted while the test
        ran.
        """
        gc.collect() if full else gc.collect(1)
        self._memory.trim()
        return self._memory.rss()

    def _looks_large(self, size):
        return abs(size) > self._limit / 2

    def _begin(self, item, repeat=False):
        before = self._settled if self._settled is not None else self._settle(full=repeat)
        self._settled = None
        self._memory.reset_peak()
        self._current = Measurement(item, before, sys.getallocatedblocks())
        file, line = _location(item)
        kind = "repeat-start" if repeat else "start"
        self._write({"type": kind, "id": item.nodeid, "file": file, "line": line, "before": before})

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

    def _end(self, repeat_outcome=None):
        current = self._current
        if current is None:
            return
        self._current = None
        peak = self._memory.peak()
        repeat = repeat_outcome is not None
        after = self._settle(full=repeat)
        shared = current.shared_setup + current.shared_teardown()
        if not repeat and self._looks_large(after - current.before - shared):
            after = self._settle(full=True)
        self._settled = after  # nothing runs between this test's end and the next one's start
        file, line = _location(current.item)
        record = {
            "type": "repeat" if repeat_outcome else "test",
            "id": current.item.nodeid,
            "file": file,
            "line": line,
            "before": current.before,
            "after": after,
            "delta": after - current.before - shared,
            "sharedSetup": current.shared_setup,
            "sharedTeardown": current.shared_teardown(),
            "peak": peak,
            "allocatedBlocks": sys.getallocatedblocks() - current.blocks_before,
            "duration": round(time.perf_counter() - current.started, 6),
            "outcome": repeat_outcome or current.outcome or "unknown",
        }
        self._write(record)
        if not repeat_outcome and self._is_suspect(record):
            self._suspects.append((record["delta"], record["duration"], current.item))

    def _is_suspect(self, record):
        return record["delta"] > self._limit and record["outcome"] != "skipped"

    def _repeat_suspects(self):
        """Run each suspect once more, unlogged: a leak keeps memory again, a one-time cost does not."""
        from _pytest.runner import runtestprotocol

        chosen = set()
        for index, (delta, duration, item) in enumerate(sorted(self._suspects, key=lambda suspect: -suspect[0])):
            if index >= MAX_REPEATS:
                self._skip_repeat(item, "more than %d suspects in one process" % MAX_REPEATS)
            elif duration > MAX_REPEAT_SECONDS:
                self._skip_repeat(item, "its first run took longer than %d s" % MAX_REPEAT_SECONDS)
            else:
                chosen.add(item)
        # In the order they first ran, each with the next as `nextitem`: the wider fixtures they share stay up.
        queue = [(delta, item) for delta, _, item in self._suspects if item in chosen]
        for index, (delta, item) in enumerate(queue):
            if not _memory_to_spare(delta):
                self._skip_repeat(item, "not enough free memory to run it again")
                continue
            nextitem = queue[index + 1][1] if index + 1 < len(queue) else None
            self._settled = None
            self._begin(item, repeat=True)
            repeat_outcome = None
            for report in runtestprotocol(item, nextitem=nextitem, log=False):
                repeat_outcome = _merge_outcome(repeat_outcome, report)
            self._end(repeat_outcome or "unknown")
            if self._memory is None:
                return

    def _skip_repeat(self, item, reason):
        self._write({"type": "repeat-skipped", "id": item.nodeid, "reason": reason})

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


def _memory_to_spare(needed):
    """Whether running a test that keeps `needed` bytes again is safe; only Linux tells, elsewhere assume so."""
    try:
        with open("/proc/meminfo", "rb") as meminfo:
            for line in meminfo:
                if line.startswith(b"MemAvailable:"):
                    return needed * 2 < int(line.split()[1]) * 1024
    except OSError:
        pass
    return True


def _int_env(name, default):
    try:
        return int(os.environ[name])
    except (KeyError, ValueError):
        return default
