"""leakwatch's pytest plugin: records how much memory each test keeps.

leakwatch loads it through PYTEST_PLUGINS and PYTHONPATH, so the project's own conftest, plugins and options stay as
they are. Each pytest process (every xdist worker too) appends one JSON line per event to a file of its own in
LEAKWATCH_DIR, writing each line as the event happens so that a crash loses nothing that finished.

A test's figure is the resident memory (RSS) it kept: measured before its setup and after its teardown, each time
after handing the allocator's free memory back to the system, and after a full garbage collection where it could
matter and fits in the time (see Recorder._read). Setting up fixtures of wider
scope (module, session...) is not charged to the test that happens to set them up first, and tearing them down is
not credited to the last.

When LEAKWATCH_CONFIRM names tests (leakwatch confirming suspects), every other test is deselected and each of those
runs several times in a row, each run measured, to tell a leak (it keeps memory run after run) from a warm-up. Unless
LEAKWATCH_TRACE is `off`, each then runs once more with tracemalloc tracing allocations, and a `trace` record says where
what it kept was allocated (see Tracer): neither the suite's own pass nor the measured runs are traced.

Nothing here may change a test's outcome: every failure to measure is recorded and ends measuring, never the run; a
record that cannot be written is kept and tried again, and the tests whose records were lost are counted.
Standard library only; Python 3.9+ on Linux, macOS and Windows.
"""

import ast
import collections
import gc
import json
import os
import sys
import sysconfig
import threading
import time
import tracemalloc

import pytest

FORMAT = 1
QUICK_TEST_SECONDS = 0.002
# Full collections walk the whole heap (180 ms with a million live objects): leakwatch's own are kept to this share of
# the time since measuring began, and this many seconds more, whatever the heap, the limit and the number of tests
# near it (see _can_collect).
COLLECTION_SHARE = 0.025
COLLECTION_ALLOWANCE = 0.02

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

    def high_water_mark(self):
        """The process's own resident-memory high-water mark, where the platform keeps one."""
        return _ru_maxrss()

    def reopen(self):
        """Opens again what a test closed (see LinuxMemory)."""


class LinuxMemory(Memory):
    def __init__(self):
        self._page_size = os.sysconf("SC_PAGE_SIZE")
        self._identities = {}  # attribute -> (path, flags, (st_dev, st_ino)) of each /proc file held open
        self._statm = self._open("_statm", "/proc/self/statm", os.O_RDONLY)
        self.rss()
        self._malloc_trim = _glibc_malloc_trim()
        self.trims = self._malloc_trim is not None
        self._high_water_mark_before_resets = None
        try:
            # Writing 5 to clear_refs resets the peak (VmHWM) so that each test gets a peak of its own.
            self._clear_refs = self._open("_clear_refs", "/proc/self/clear_refs", os.O_WRONLY)
            self._status = self._open("_status", "/proc/self/status", os.O_RDONLY)
            # That resets the process's own high-water mark too: the one from before is kept.
            self._high_water_mark_before_resets = self._vm_hwm()
            os.write(self._clear_refs, b"5")
            self.tracks_peak = self.peak() is not None
        except OSError:
            self._clear_refs = None
            self._identities = {"_statm": self._identities["_statm"]}

    def _open(self, attribute, path, flags):
        fd = os.open(path, flags)
        self._identities[attribute] = (path, flags, _identity(fd))
        return fd

    def reopen(self):
        """A test closed every descriptor above 2 (daemon code does), and may have opened files of its own under the
        same numbers: each /proc file whose descriptor is no longer the one opened is opened again, under a new
        number, and the old number is left to its new owner."""
        for attribute, (path, flags, identity) in list(self._identities.items()):
            try:
                if _identity(getattr(self, attribute)) == identity:
                    continue
            except OSError:
                pass
            setattr(self, attribute, self._open(attribute, path, flags))

    def rss(self):
        return int(os.pread(self._statm, 512, 0).split()[1]) * self._page_size

    def trim(self):
        if self._malloc_trim is not None:
            self._malloc_trim(0)

    def reset_peak(self):
        if self.tracks_peak:
            os.write(self._clear_refs, b"5")

    def peak(self):
        return None if self._clear_refs is None else self._vm_hwm()

    def _vm_hwm(self):
        status = os.pread(self._status, 8192, 0)
        start = status.find(b"VmHWM:")
        return None if start < 0 else int(status[start:].split()[1]) * 1024

    def high_water_mark(self):
        return max(self._high_water_mark_before_resets or 0, self.peak() or _ru_maxrss() or 0)


def _glibc_malloc_trim():
    try:
        import ctypes

        malloc_trim = ctypes.CDLL(None).malloc_trim
    except (ImportError, OSError, AttributeError):  # musl and other libcs have no malloc_trim
        return None
    malloc_trim.argtypes = [ctypes.c_size_t]
    malloc_trim.restype = ctypes.c_int
    return malloc_trim


def _ru_maxrss():
    try:
        import resource
    except ImportError:  # Windows
        return None
    highest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return highest if sys.platform == "darwin" else highest * 1024  # bytes on macOS, kilobytes elsewhere


# One encoder for every line: json.dumps with options builds a new one each call, a third of a record's cost.
_encode = json.JSONEncoder(separators=(",", ":")).encode


def _encode_line(record):
    return (_encode(record) + "\n").encode("utf-8")


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _identity(fd):
    status = os.fstat(fd)
    return status.st_dev, status.st_ino


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

    def high_water_mark(self):
        self.rss()
        return int(self._counters.PeakWorkingSetSize)


def open_memory():
    if sys.platform.startswith("linux"):
        return LinuxMemory()
    if sys.platform == "darwin":
        return MacMemory()
    if sys.platform == "win32":
        return WindowsMemory()
    raise OSError("leakwatch cannot read memory on %s" % sys.platform)


# --- The records file ----------------------------------------------------------------------------------------------

START, TEST, OTHER = "start", "test", "other"  # kinds of record, as far as writing them goes


class RecordsFile:
    """This process's records file in LEAKWATCH_DIR: one JSON line per record, each written straight to the kernel,
    so that a crash a moment later loses nothing written before.

    It survives what tests may do. A test may close every descriptor above 2 and open files of its own under the same
    numbers (daemon code does), or delete the file: its identity is checked (check_own) before the recorder writes
    after a test, and it is opened again by its path, or a new file is made if it is gone. The disk may fill, or a
    write fail otherwise: what could not be written is kept (up to PENDING_LIMIT bytes) and tried again at each later
    write and at the end, and the tests whose records were lost are counted in an `unmeasured` record when one can be
    written, else on stderr. A `start` record is provisional until its test's record is written: when that fails it
    is cut off again, so that the test is not taken for one its process died in. A file of RESERVE bytes beside it is
    given up at the end when the disk is full, to make room for that count.
    """

    PENDING_LIMIT = 4 * 1000 * 1000
    RESERVE = 8192

    def __init__(self, directory):
        self._directory = directory
        self._path = None
        self._fd = None
        self._identity = None
        self._size = 0  # the file's length, as this process wrote it
        self._committed = 0  # the length to cut back to when a write fails: without a provisional start record
        self._tests_in_file = 0
        self._preamble = []  # what every file this process writes starts with: the header, the collected count
        self._pending = collections.deque()  # (line, kind) not yet written, oldest first
        self._pending_size = 0
        self._lost = {}  # reason -> tests whose records were lost, not yet written as `unmeasured`
        self._problem = None  # the last write failure, in words
        self._reserve = None  # the path of the space kept for the end

    def write(self, record, kind=OTHER, preamble=False):
        line = _encode_line(record)
        if preamble:
            self._preamble.append(line)
            if self._fd is None:  # the file to be opened starts with it
                self._flush()
                return
        if not self._pending and not self._lost and self._fd is not None:
            try:
                self._append(line, kind)  # the usual case
            except OSError as error:
                self._failed(error)
                self._keep(line, kind)
            return
        self._keep(line, kind)
        self._flush()

    def check_own(self):
        """Whether the file is still the one this process opened; if not, it is opened again by its path, and False
        says that a test closed descriptors it did not own."""
        if self._fd is None:
            return True
        try:
            status = os.fstat(self._fd)
            if (status.st_dev, status.st_ino) == self._identity and status.st_nlink > 0:
                return True
        except OSError:
            pass
        # The old number may now be one of the test's own files: it is left alone, never written to nor closed.
        self._fd = None
        try:
            fd = os.open(self._path, os.O_WRONLY | os.O_APPEND)
            if _identity(fd) == self._identity:
                self._fd = fd
                return False
            os.close(fd)
        except OSError:
            pass
        if self._tests_in_file > 0:
            self._lost["their records file was deleted while the tests ran"] = self._tests_in_file
        self._flush()  # a new file, with the header again
        return False

    def finish(self):
        """At the end: what could still not be written is given up for a count of the tests it held, which is smaller
        and may fit where they did not; if even that cannot be written, one line on stderr says it."""
        if self._pending:
            self._count_lost(sum(1 for _, kind in self._pending if kind == TEST))
            self._pending = collections.deque(entry for entry in self._pending if entry[1] != TEST)
            self._pending_size = sum(len(line) for line, _ in self._pending)
            self._flush()
        if self._reserve is not None:
            _remove(self._reserve)
            if self._pending or self._lost:
                self._flush()
        lost = sum(self._lost.values())
        if lost:
            sys.stderr.write(
                "leakwatch: %d tests ran without a measurement: their records could not be written to %s (%s)\n"
                % (lost, self._directory, self._problem)
            )

    def _keep(self, line, kind):
        if kind == START:
            return  # while writing fails, a start could outlive its test's record, and tell of a death
        if self._pending_size + len(line) > self.PENDING_LIMIT:
            if kind == TEST:
                self._count_lost(1)
            return
        self._pending.append((line, kind))
        self._pending_size += len(line)

    def _count_lost(self, count):
        if count:
            reason = "their records could not be written (%s)" % self._problem
            self._lost[reason] = self._lost.get(reason, 0) + count

    def _flush(self):
        try:
            if self._fd is None:
                self._open()
            while self._pending:
                line, kind = self._pending[0]
                self._append(line, kind)
                self._pending.popleft()
                self._pending_size -= len(line)
            for reason, count in list(self._lost.items()):
                record = {"type": "unmeasured", "reason": reason, "count": count}
                self._append(_encode_line(record), OTHER)
                del self._lost[reason]
        except OSError as error:
            self._failed(error)

    def _open(self):
        os.makedirs(self._directory, exist_ok=True)
        name = "pytest-%d-%d.jsonl" % (os.getpid(), time.time_ns())
        path = os.path.join(self._directory, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        self._path, self._fd, self._identity = path, fd, _identity(fd)
        self._size = self._committed = self._tests_in_file = 0
        try:
            for line in self._preamble:
                self._append(line, OTHER)
        except OSError:
            # A file without its header is no use: the next write makes another.
            self._fd = None
            os.close(fd)
            _remove(path)
            raise
        if self._reserve is None:
            self._reserve = path[: -len(".jsonl")] + ".reserve"
            try:
                with open(self._reserve, "wb") as reserve:
                    reserve.write(bytes(self.RESERVE))
            except OSError:
                pass

    def _append(self, line, kind):
        written = os.write(self._fd, line)
        self._size += written
        while written < len(line):  # a short write is followed by the error that cut it short
            chunk = os.write(self._fd, line[written:])
            written += chunk
            self._size += chunk
        if kind == TEST:
            self._tests_in_file += 1
        if kind != START:
            self._committed = self._size

    def _failed(self, error):
        """Cuts off a line written in part, and a start whose test's record was not written."""
        self._problem = error.strerror or str(error)
        if self._fd is not None and self._size > self._committed:
            try:
                os.ftruncate(self._fd, self._committed)
                self._size = self._committed
            except OSError:
                pass



# --- Where kept memory was allocated, in runs alone ------------------------------------------------------------------

TRACE_FRAMES = 25  # enough to reach the project's own code through a library's frames
MAX_SITES = 10  # per run alone: the largest
MAX_STACK = 8
# Tracing slows a run down; a traced run that takes this many times as long as the test's runs alone (and at least
# TRACE_SLOWEST_EXTRA seconds more) goes on untraced, and its test gets no sites. And all the traced runs of a process
# together take at most as long as confirming took (see Tracer.within_budget): tracing at most doubles confirming.
TRACE_SLOWEST = 5
TRACE_SLOWEST_EXTRA = 1.0
# Grouping a snapshot walks every block traced in Python: past this much of tracemalloc's own memory (a million
# blocks, about), it would take longer than the run.
MOST_TRACE_MEMORY = 64 * 1000 * 1000
# The traced runs of a process together take at most as long as confirming took (LEAKWATCH_TRACE_BUDGET, in
# seconds), and this many seconds more.
TRACE_BUDGET_ALLOWANCE = 2.0


class Tracer:
    """Traces allocations with tracemalloc in runs alone, and tells where what a suspect kept was allocated.

    Each suspect gets one run of its own with tracing, after its runs alone, whose figures tracing would change (it
    takes memory of its own for every block it traces). Tracing starts just before that run and stops after its
    snapshot, taken after a full collection: it holds just what the run allocated and still holds."""

    def __init__(self, rootdir, limit):
        self._smallest = limit / 100
        self._rootdir = os.path.normcase(os.path.abspath(rootdir))
        # The standard library's, installed packages', pytest's, pluggy's and leakwatch's own files are never the
        # place to fix: a site is the innermost frame outside them.
        paths = sysconfig.get_paths()
        self._foreign = tuple(
            os.path.normcase(os.path.abspath(paths[name])) + os.sep
            for name in ("stdlib", "platstdlib", "purelib", "platlib")
            if name in paths
        )
        self._own = os.path.normcase(os.path.abspath(__file__))
        self._tracemalloc = os.path.normcase(os.path.abspath(tracemalloc.__file__))
        self._functions = {}  # file -> [(first line, last line, qualified name)], parsed once
        self._plumbing = {}  # file -> whether it is the runner's or leakwatch's
        self._project = {}  # file -> whether it is the project's own
        self.skipped = None  # why the last traced run has no sites, when it has none
        self.spent = 0.0  # seconds the traced runs took, collections and grouping included
        try:
            self._budget = max(0.0, float(os.environ.get("LEAKWATCH_TRACE_BUDGET", "0")))
        except ValueError:
            self._budget = 0.0
        # A project that traces allocations itself keeps its tracing: leakwatch's would restart it.
        self.stopped = "tracemalloc was already tracing in the test process" if tracemalloc.is_tracing() else None

    def within_budget(self, traced):
        """Whether another traced run fits: the traced runs so far took no longer than confirming did (and
        TRACE_BUDGET_ALLOWANCE). When they did, tracing stops for the suspects after it."""
        if self.spent <= self._budget + TRACE_BUDGET_ALLOWANCE:
            return True
        self.stopped = (
            "tracing allocations stopped after %d leaks: their traced runs had taken as long as confirming, so the "
            "leaks after them have no sites" % traced
        )
        return False

    def begin(self):
        if self.stopped is not None:
            return
        tracemalloc.start(TRACE_FRAMES)

    def end(self, test_id):
        """This run's sites, largest first, and all it kept that tracemalloc saw: {"sites", "traced"}; None when
        tracing stopped before the run ended, or holds too many blocks to group."""
        if not tracemalloc.is_tracing():
            return None
        try:
            if tracemalloc.get_tracemalloc_memory() > MOST_TRACE_MEMORY:
                self.skipped = (
                    "the allocations of %s were not grouped: its traced run kept too many memory blocks to group in "
                    "reasonable time, so it has no sites" % test_id
                )
                return None
            statistics = tracemalloc.take_snapshot().statistics("traceback")
        finally:
            tracemalloc.stop()  # the next suspect's runs alone are measured untraced
        traced = 0
        places = {}  # (file, line) -> [size, blocks, the frames from it outwards, the largest trace's size there]
        for statistic in statistics:
            traced += statistic.size
            frames = [frame for frame in reversed(statistic.traceback) if not self._is_plumbing(frame.filename)]
            if not frames:
                continue
            where = next((frame for frame in frames if self._is_project(frame.filename)), frames[0])
            place = places.setdefault((where.filename, where.lineno), [0, 0, None, 0])
            place[0] += statistic.size
            place[1] += statistic.count
            if statistic.size > place[3]:
                start = frames.index(where)
                place[2], place[3] = frames[start : start + MAX_STACK], statistic.size
        # A place that holds under a hundredth of the limit explains no leak.
        large = [item for item in places.items() if item[1][0] >= self._smallest]
        largest = sorted(large, key=lambda item: -item[1][0])[:MAX_SITES]
        # Only the largest are named: finding a line's function parses its file.
        sites = [
            dict(self._frame(stack[0]), size=size, count=count, stack=[self._frame(frame) for frame in stack])
            for _, (size, count, stack, _) in largest
        ]
        return {"sites": sites, "traced": traced}

    def watch(self, untraced, test_id):
        """A timer that ends the tracing of a traced run that takes far longer than the test's runs alone (allocating
        under tracemalloc can be many times slower): the run goes on at its usual pace, untraced, and the test gets no
        sites. Cancel it when the run ends."""
        most = max(TRACE_SLOWEST * untraced, untraced + TRACE_SLOWEST_EXTRA)

        def give_up():
            if tracemalloc.is_tracing():
                tracemalloc.stop()
                self.skipped = (
                    "tracing the allocations of %s stopped: its traced run took over %.0f times as long as its runs "
                    "alone (%.2f s), so it has no sites" % (test_id, TRACE_SLOWEST, untraced)
                )

        self.skipped = None
        timer = threading.Timer(most, give_up)
        timer.daemon = True
        timer.start()
        return timer

    def _is_plumbing(self, filename):
        known = self._plumbing.get(filename)
        if known is None:
            known = self._plumbing[filename] = self._plumbing_file(filename)
        return known

    def _is_project(self, filename):
        known = self._project.get(filename)
        if known is None:
            known = self._project[filename] = self._project_file(filename)
        return known

    def _plumbing_file(self, filename):
        name = os.path.normcase(filename)
        if name in (self._own, self._tracemalloc) or name.startswith("<"):
            return True
        return os.sep + "_pytest" + os.sep in name or os.sep + "pluggy" + os.sep in name

    def _project_file(self, filename):
        name = os.path.normcase(os.path.abspath(filename))
        return name.startswith(self._rootdir + os.sep) and not name.startswith(self._foreign) and (
            os.sep + "site-packages" + os.sep not in name
        )

    def _relative(self, filename):
        name = os.path.abspath(filename)
        if os.path.normcase(name).startswith(self._rootdir + os.sep):
            name = os.path.relpath(name, self._rootdir)
        return name.replace(os.sep, "/")

    def _frame(self, frame):
        return {
            "file": self._relative(frame.filename),
            "line": frame.lineno,
            "function": self._function(frame.filename, frame.lineno),
        }

    def _function(self, filename, line):
        """The innermost function (or class) whose source holds the line, as Class.method; <module> outside any."""
        spans = self._functions.get(filename)
        if spans is None:
            spans = self._functions[filename] = _function_spans(filename)
        inner = None
        for first, last, name in spans:
            if first <= line <= last and (inner is None or first >= inner[0]):
                inner = (first, last, name)
        return inner[2] if inner is not None else "<module>"


def _function_spans(filename):
    try:
        with open(filename, "rb") as source:
            tree = ast.parse(source.read(), filename)
    except (OSError, SyntaxError, ValueError):
        return []
    spans = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + child.name
                first = min([child.lineno] + [decorator.lineno for decorator in child.decorator_list])
                spans.append((first, getattr(child, "end_lineno", child.lineno), name))
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return spans


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
        self.garbage_at_start = 0
        self.automatic_collections = 0

    def shared_teardown(self):
        return 0 if self.teardown_start is None else self.teardown_end - self.teardown_start


class Recorder:
    def __init__(self, config, directory):
        self._limit = _int_env("LEAKWATCH_LIMIT", 10 * 1000 * 1000)
        self._confirm = _confirm_target()
        self._records = RecordsFile(directory)
        self._memory = None
        self._highest = 0  # the highest RSS seen: resetting each test's peak resets the process's own record too
        self._started = 0  # tests this process began: fewer than it collected after -x, --maxfail or Ctrl-C
        self._current = None
        self._settled = None  # a settled RSS still valid as the next test's starting point
        self._collected_at = None  # RSS after the last full collection
        # How much garbage may be left since the last full collection: what the readings not settled by one grew.
        self._garbage_bound = 0
        self._last_after = None
        self._began = time.perf_counter()
        self._collect_cost = 0.0  # what the last full collection took: the next one is expected to take as long
        self._full_collections = 0
        self._collection_seconds = 0.0
        self._own_collection = False
        self._automatic_collections = 0  # Python's own, of any generation: they may free garbage from before a test
        # With no runs alone to come, the suite's figures are the verdict: every one near the limit is settled.
        self._figures_are_verdicts = os.environ.get("LEAKWATCH_CONFIRM_RUNS") == "0"
        rootdir = str(config.rootpath) if hasattr(config, "rootpath") else str(config.rootdir)
        # A start of its own after the runs alone traces the confirmed leaks: a traced run among the runs alone would
        # leave the allocator free memory that the next suspect's leak could reuse unseen.
        tracing = self._confirm is not None and os.environ.get("LEAKWATCH_TRACE") == "last-run"
        self._tracer = Tracer(rootdir, self._limit) if tracing else None
        self._traced = 0  # suspects traced
        self._last_duration = QUICK_TEST_SECONDS  # of the last run measured
        header = {
            "type": "process",
            "format": FORMAT,
            "runner": "pytest",
            "runnerVersion": pytest.__version__,
            "python": "%d.%d.%d" % sys.version_info[:3],
            "platform": sys.platform,
            "pid": os.getpid(),
            "worker": os.environ.get("PYTEST_XDIST_WORKER"),
            "rootdir": rootdir,
        }
        try:
            self._memory = open_memory()
            header.update(trims=self._memory.trims, tracksPeak=self._memory.tracks_peak)
            gc.callbacks.append(self._count_automatic_collection)
        except Exception as error:  # noqa: BLE001 - any failure means "cannot measure here", never a crash
            header["error"] = "cannot read memory: %s: %s" % (type(error).__name__, error)
        self._write(header, preamble=True)

    # pytest hooks

    @pytest.hookimpl(hookwrapper=True)
    def pytest_collection_modifyitems(self, session, config, items):
        # The suspects, whatever other plugins selected: they ran in the suite, and a splitter (pytest-split's --group)
        # would split the suspects' files anew and leave some of them to another group.
        collected = list(items)
        yield
        if self._confirm is None:
            return
        wanted = [item for item in collected if item.nodeid in self._confirm["ids"]]
        others = [item for item in items if item.nodeid not in self._confirm["ids"]]
        if others:
            config.hook.pytest_deselected(items=others)
        items[:] = wanted

    def pytest_collection_finish(self, session):
        """How many tests this process will run, after deselection (an xdist worker collects them all, its controller
        none). Not in a run alone, nor when pytest stops at collection errors or only collects."""
        # What collection took (imports, parametrize lists) shows in no test's peak, and each test resets it.
        self._highest = self._high_water_mark()
        config = session.config
        stopping = session.testsfailed and not config.getoption("continue_on_collection_errors", False)
        if self._confirm is None and not stopping and not config.getoption("collectonly", False):
            self._write({"type": "collected", "count": len(session.items)}, preamble=True)

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self._started += 1
        if self._tracer is not None:
            # Tracing's own start gives no figure: pytest's run of a leak only warms it up for its traced run, and is
            # not measured (each full collection costs as much as a small test).
            started = time.perf_counter()
            yield
            self._last_duration = time.perf_counter() - started
            if item.nodeid in self._confirm["ids"]:
                self._guard(self._run_again, item, self._confirm["runs"] - 1, nextitem)
            return
        self._guard(self._begin, item)
        yield
        self._guard(self._end)
        if self._confirm is not None and item.nodeid in self._confirm["ids"]:
            self._guard(self._run_again, item, self._confirm["runs"] - 1, nextitem)

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
        if before is not None and after is not None and self._looks_large(after - before) and self._can_collect(True):
            after = self._guard(self._collect)
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
        end = {
            "type": "end",
            "exitstatus": int(exitstatus),
            "ran": self._started,
            "fullCollections": self._full_collections,
            "collectionSeconds": round(self._collection_seconds, 6),
            "elapsed": round(time.perf_counter() - self._began, 6),
        }
        highest = self._high_water_mark()
        if highest:
            end["maxRss"] = highest
        self._write(end)
        self._records.finish()

    # measuring

    def _settle(self):
        """RSS after collecting the youngest generation, which holds what was just let go of, and giving the
        allocator's free memory back. Runs alone collect fully: their figures are the verdict."""
        if self._confirm is not None:
            return self._collect()
        self._own_files()
        gc.collect(0)
        return self._read()

    def _read(self):
        """RSS with the allocator's free memory given back, and no collection: what most tests' ends need.

        Even the youngest generation's collection costs 0.07 ms on a heap of a million objects, as much as the rest
        of the plugin; most garbage goes at once, by reference counting. Cyclic garbage a test leaves only overstates
        its figure, and a figure that looks like a leak is settled with a full collection where one fits in the time
        (see _can_collect). What it overstates stays as garbage that a later collection could take from a later
        test's figure: once RSS grew by a quarter of the limit since the last full collection, the next test starts
        from one where it fits, and a test whose figure that garbage could have hidden is marked disturbed.
        """
        self._memory.trim()
        return self._memory.rss()

    def _collect(self):
        """RSS after a full collection: milliseconds, and more on a large heap."""
        self._own_files()
        started = time.perf_counter()
        self._own_collection = True
        try:
            gc.collect()
        finally:
            self._own_collection = False
        self._collect_cost = time.perf_counter() - started
        self._collection_seconds += self._collect_cost
        self._full_collections += 1
        self._garbage_bound = 0
        self._collected_at = self._read()
        return self._collected_at

    def _collect_young(self):
        self._own_collection = True
        try:
            gc.collect(1)
        finally:
            self._own_collection = False
        return self._read()

    def _can_collect(self, for_suspect=False):
        """Whether a full collection fits in COLLECTION_SHARE of the time so far, if it takes as long as the last did
        for each byte of memory it walked (a heap that grows makes each collection slower).
        Where none fits, a figure stands as the cheap readings give it: one that garbage may inflate is still under
        the limit or a suspect to run alone, and one that garbage may deflate is marked disturbed (see _end)."""
        if self._confirm is not None or (for_suspect and self._figures_are_verdicts):
            return True
        grown = max(1.0, self._memory.rss() / self._collected_at) if self._collected_at else 1.0
        spent = self._collection_seconds + self._collect_cost * grown
        return spent <= COLLECTION_ALLOWANCE + COLLECTION_SHARE * (time.perf_counter() - self._began)

    def _possible_garbage(self, reading):
        """What may be garbage at this reading: at most what the readings not settled by a full collection grew since
        the last one, and at most what RSS grew since."""
        return min(self._garbage_bound, max(0, reading - self._collected_at))

    def _collection_is_due(self):
        """A quarter of the limit may be garbage, which a later collection could take from a later test's figure."""
        return self._possible_garbage(self._settled) > self._limit / 4 and self._can_collect()

    def _count_automatic_collection(self, phase, info):
        if phase == "start" and not self._own_collection:
            self._automatic_collections += 1

    def _looks_large(self, size):
        return abs(size) > self._limit / 2

    def _begin(self, item):
        if self._settled is not None and not self._collection_is_due():
            before = self._settled
        elif self._collected_at is None or self._can_collect():
            before = self._collect()
        else:
            before = self._settle()
            self._garbage_bound += max(0, before - (self._last_after or before))
        self._settled = None
        self._memory.reset_peak()
        # Counting Python's memory blocks walks its whole heap (0.1 ms with a million objects): only runs alone do it.
        blocks = sys.getallocatedblocks() if self._confirm is not None else None
        self._current = Measurement(item, before, blocks)
        # A collection Python runs while the test runs may free garbage from before it, and make the test's figure
        # smaller by as much.
        self._current.garbage_at_start = self._possible_garbage(before)
        self._current.automatic_collections = self._automatic_collections
        file, line = _location(item)
        self._write({"type": "start", "id": item.nodeid, "file": file, "line": line, "before": before}, START)

    def _bracket_shared_teardown(self, current, nextitem):
        """When this teardown also tears down a module, class or session, settle once before that starts.

        What it tears down are the test's parents that pytest set up and the next test does not share, innermost
        first. Our finalizer on that one runs after every function-scoped finalizer of the test and before any of
        the node's own (it is added last, and finalizers run last-in first-out). A parent pytest never set up (a
        skip mark stopped its only tests before setup) is not torn down, and pytest refuses it a finalizer.
        """
        staying = nextitem.listchain() if nextitem is not None else ()
        if current.item.parent is None or current.item.parent in staying:
            return  # the usual case: the next test shares the parent, nothing wider is torn down

        def settle_before_shared_teardown():
            start = self._guard(self._settle)
            if start is not None:
                current.teardown_start = current.teardown_end = start

        set_up = _set_up_nodes(current.item.session)
        for node in reversed(current.item.listchain()[:-1]):
            if node in staying:
                return
            if set_up is not None and node not in set_up:
                continue
            try:
                node.addfinalizer(settle_before_shared_teardown)
                return
            except Exception:  # noqa: BLE001 - a pytest whose setup state we cannot read refuses a node not set up
                continue

    def _end(self, outcome=None):
        current = self._current
        if current is None:
            return
        self._current = None
        self._own_files()
        # Reading the peak costs 0.02 ms; a test that took under 2 ms had no time to touch much memory.
        peak = self._memory.peak() if time.perf_counter() - current.started > QUICK_TEST_SECONDS else None
        after = self._read() if self._confirm is None else self._collect()
        duration = time.perf_counter() - current.started
        shared = current.shared_setup + current.shared_teardown()
        unsettled = False
        settled = self._confirm is not None
        if self._looks_large(after - current.before - shared) and self._confirm is None:
            # Perhaps a leak, perhaps cyclic garbage: a full collection tells. Where none fits in the time, the young
            # generations, which hold the cycles the test let go of unless Python moved them on meanwhile, cost
            # what the test allocated, not the heap; what is left may be garbage still, and is a suspect.
            unsettled = not self._can_collect(True)
            settled = not unsettled
            after = self._collect_young() if unsettled else self._collect()
        if not settled:
            self._garbage_bound += max(0, after - current.before)
        self._last_after = after
        delta = after - current.before - shared
        # A figure that garbage from before the test, freed by Python's own collection meanwhile, could have kept
        # under the limit may hide a leak: leakwatch runs it again alone.
        hidden = current.garbage_at_start if self._automatic_collections > current.automatic_collections else 0
        disturbed = delta <= self._limit < delta + hidden
        self._settled = after  # nothing runs between this test's end and the next one's start
        self._highest = max(self._highest, after, peak or 0)
        file, line = _location(current.item)
        record = {
            "type": "test",
            "id": current.item.nodeid,
            "file": file,
            "line": line,
            "before": current.before,
            "after": after,
            "delta": delta,
            "sharedSetup": current.shared_setup,
            "sharedTeardown": current.shared_teardown(),
            "peak": peak,
            "allocatedBlocks": None
            if current.blocks_before is None
            else sys.getallocatedblocks() - current.blocks_before,
            "duration": round(duration, 6),
            "outcome": outcome or current.outcome or "unknown",
        }
        if disturbed:
            record["disturbed"] = True
        if unsettled:
            record["unsettled"] = True
        self._write(record, TEST)
        self._last_duration = duration
        return duration, delta

    def _run_again(self, item, times, nextitem):
        """Run a test being confirmed again, unlogged, each run measured like the first. Each run tears down what the
        next suspect does not share, as pytest's own run of it did, so fixtures of wider scope stay set up. A run
        starts from the full collection that ended the one before: nothing but pytest's bookkeeping runs between."""
        from _pytest.runner import runtestprotocol

        ended = []  # (duration, delta) of each run after the first
        # When tracing, the last run is the traced one: the runs before it warm the test up.
        for _ in range(times - 1 if self._tracer is not None else times):
            self._begin(item)
            outcome = None
            for report in runtestprotocol(item, nextitem=nextitem, log=False):
                outcome = _merge_outcome(outcome, report)
            ended.append(self._end(outcome or "unknown"))
            if self._memory is None:
                return
        # With no measured run in this loop, the traced one is timed against pytest's own run of it.
        ended = [run for run in ended if run is not None] or [(self._last_duration, 0)]
        if self._tracer is not None and self._tracer.stopped is None:
            started = time.perf_counter()
            try:
                if self._tracer.within_budget(self._traced):
                    self._traced += 1
                    self._traced_run(item, nextitem, [duration for duration, _ in ended])
                else:
                    file, line = _location(item)
                    stopped = self._tracer.stopped
                    self._write({"type": "trace", "id": item.nodeid, "file": file, "line": line, "stopped": stopped})
            except Exception as error:  # noqa: BLE001 - tracing is an extra: its failure ends it, not measuring
                if tracemalloc.is_tracing():
                    tracemalloc.stop()
                stopped = self._tracer.stopped = "tracing allocations failed: %s: %s" % (type(error).__name__, error)
                self._write({"type": "trace", "id": item.nodeid, "file": "", "line": None, "stopped": stopped})
            finally:
                self._tracer.spent += time.perf_counter() - started

    def _traced_run(self, item, nextitem, durations):
        """One more run, with allocations traced, for where what the test keeps is allocated. Its figure is not one
        of the runs alone: tracing has a cost in time and memory of its own, which must not change the verdict."""
        from _pytest.runner import runtestprotocol

        # tracemalloc sees only what is allocated once it starts: what the run still holds at its end is its own,
        # with no collection before it.
        self._settled = None
        untraced = sorted(durations)[len(durations) // 2] if durations else QUICK_TEST_SECONDS
        self._tracer.begin()
        watch = self._tracer.watch(untraced, item.nodeid)
        try:
            runtestprotocol(item, nextitem=nextitem, log=False)
        finally:
            watch.cancel()
        gc.collect()  # what is left is what the run kept
        trace = self._tracer.end(item.nodeid)
        file, line = _location(item)
        record = {"type": "trace", "id": item.nodeid, "file": file, "line": line}
        if trace is not None:
            record.update(trace)
        why = self._tracer.skipped or self._tracer.stopped
        if why is not None:
            record["stopped"] = why
        self._write(record)

    def _high_water_mark(self):
        try:
            own = self._memory.high_water_mark() if self._memory is not None else _ru_maxrss()
        except Exception:  # noqa: BLE001 - a figure missing from the end record, not a crash
            own = None
        return max(own or 0, self._highest)

    def _guard(self, action, *args):
        """Run a measuring step; the first failure is recorded and ends measuring, and the tests go on."""
        if self._memory is None:
            return None
        try:
            return action(*args)
        except Exception as error:  # noqa: BLE001 - measuring must never fail a test
            self._stop(error)
            return None

    def _stop(self, error):
        self._memory = None
        self._current = None
        self._write({"type": "error", "error": "%s: %s" % (type(error).__name__, error)})

    def _own_files(self):
        """A test that closed every descriptor above 2 closed the recorder's too: they are opened again. Checked once
        a test, at its end, and whenever wider-scoped fixtures run."""
        if not self._records.check_own():
            self._memory.reopen()

    def _write(self, record, kind=OTHER, preamble=False):
        # A test's record is written just after _end's check, and the next start follows it with no test code between.
        if kind == OTHER and not self._records.check_own() and self._memory is not None:
            self._guard(self._memory.reopen)
        self._records.write(record, kind, preamble)


def _set_up_nodes(session):
    """The nodes pytest has set up and not torn down yet, or None where its internals are not the known ones: pytest
    7 to 9 keep them as the keys of session._setupstate.stack (pytest 6 as a list)."""
    stack = getattr(getattr(session, "_setupstate", None), "stack", None)
    return stack if isinstance(stack, (dict, list)) else None


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
    """The tests leakwatch is confirming, from LEAKWATCH_CONFIRM: {"runs": how many times each, "tests": [{"id": node
    id}, ...]}, as {"ids": a set of node ids, "runs": ...}; None when it is not confirming."""
    try:
        target = json.loads(os.environ["LEAKWATCH_CONFIRM"])
        return {"ids": {str(test["id"]) for test in target["tests"]}, "runs": max(1, int(target["runs"]))}
    except (KeyError, ValueError, TypeError, AttributeError):
        return None


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """Runs alone run in one process, from start to end: xdist's workers are turned off (its options emptied, so that
    a command passing -n 2 still parses), neither a failing suspect (-x, --maxfail) nor a file that fails to import
    stops the others, and only the suspects' files are collected. Whichever of this and xdist's own hook runs first,
    xdist then sees no workers asked for."""
    confirm = _confirm_target()
    if not os.environ.get("LEAKWATCH_DIR") or confirm is None or _registered_config is not None:
        return  # not a run alone, or a session nested in a test's (pytester): left as it is
    option = config.option
    if hasattr(option, "numprocesses"):
        option.numprocesses, option.distload, option.dist, option.tx = 0, False, "no", []
    option.maxfail = 0
    # A suspect's file that fails to import alone would otherwise stop the session before any suspect ran.
    option.continue_on_collection_errors = True
    # --stepwise stops at the first failure too, and skips the tests before the one that failed last time.
    if hasattr(option, "stepwise"):
        option.stepwise = option.stepwise_skip = False
    files = _suspect_files(config, confirm["ids"])
    if files is not None:
        config.pluginmanager.register(_CollectOnly(files), "leakwatch-collect-only")


def _suspect_files(config, ids):
    """The suspects' files, absolute, from their node ids; None when one is not a file found there (an id a plugin
    makes up, or a pytest without collection_path): then collection is not narrowed."""
    if int(pytest.__version__.split(".")[0]) < 7:
        return None
    root = str(getattr(config, "rootpath", config.rootdir))
    files = {os.path.normpath(os.path.join(root, node_id.split("::")[0])) for node_id in ids}
    return files if all(os.path.isfile(file) for file in files) else None


class _CollectOnly:
    """A run alone collects only the suspects' files, and the directories that lead to them: on a large suite,
    collecting every test costs more than running the few suspects."""

    def __init__(self, files):
        self._files = files
        self._directories = {parent for file in files for parent in _parents(file)}

    @pytest.hookimpl(tryfirst=True)
    def pytest_ignore_collect(self, collection_path, config):
        path = os.path.normpath(str(collection_path))
        # None, not False: False would also overrule pytest's own --ignore and collect_ignore.
        return None if path in self._files or path in self._directories else True


def _parents(file):
    parent = os.path.dirname(file)
    while parent != os.path.dirname(parent):
        yield parent
        parent = os.path.dirname(parent)
    yield parent


def _int_env(name, default):
    try:
        return int(os.environ[name])
    except (KeyError, ValueError):
        return default
