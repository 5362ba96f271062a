"""Runs a command in a pseudo-terminal and presses Ctrl-C once a file exists, as a person at a terminal would: the
terminal sends SIGINT to the whole foreground process group. Prints a JSON line: the exit code, the output, and the
seconds from Ctrl-C to the command's end.

Usage: terminal.py <file that says when> <command> [args...]"""

import json
import os
import pty
import select
import sys
import time

when, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

output = b""
pressed = None
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    if pressed is None and os.path.exists(when):
        os.write(fd, b"\x03")
        pressed = time.monotonic()
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            data = os.read(fd, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not data:
            break
        output += data
ended, status = os.waitpid(pid, os.WNOHANG)
while ended == 0 and time.monotonic() < deadline:
    time.sleep(0.05)
    ended, status = os.waitpid(pid, os.WNOHANG)
if ended == 0:
    os.kill(pid, 9)
    ended, status = os.waitpid(pid, 0)
after = None if pressed is None else time.monotonic() - pressed
exit_code = os.waitstatus_to_exitcode(status)
print(json.dumps({"exitCode": exit_code, "output": output.decode(errors="replace"), "afterCtrlC": after}))
