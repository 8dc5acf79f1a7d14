"""Time quarry's full-screen interface in a pseudo-terminal (bench/run.sh
section 4): start to first prompt with an empty workspace, and in the grid
viewer on a 1,000,000-row table the time from a PgDn key to the repainted
screen (the status line "row N of 1,000,000" written), at 200x50.

  tui_timing.py QUARRY [RUNS]     prints:  start_ms=... pgdn_ms=...
"""
import fcntl
import os
import pty
import re
import select
import statistics
import struct
import sys
import termios
import time


def spawn(argv, rows=50, cols=200):
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8",
                   QUARRY_HISTORY="/dev/null")
        os.execvpe(argv[0], argv, env)
    return pid, fd


def read_until(fd, marker, timeout=30.0):
    """Read output until marker appears; returns the seconds it took."""
    t0 = time.perf_counter()
    seen = b""
    while marker not in seen:
        left = timeout - (time.perf_counter() - t0)
        if left <= 0:
            raise TimeoutError(marker)
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                seen = seen[-4096:] + os.read(fd, 65536)
            except OSError:
                raise TimeoutError(marker)
    return time.perf_counter() - t0


def finish(pid, fd):
    try:
        os.write(fd, b"\x03quit\r")
        time.sleep(0.05)
        os.write(fd, b"y")
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)


def start_ms(q, runs):
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        pid, fd = spawn([q])
        read_until(fd, b"quarry>")
        ts.append((time.perf_counter() - t0) * 1000)
        finish(pid, fd)
    return ts


def read_quiet(fd, quiet=0.3):
    """Everything written until the terminal has been quiet for a while."""
    seen = b""
    while True:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            return seen
        seen += os.read(fd, 65536)


def last_byte_after(fd, t0, quiet=0.05):
    """Read until quiet; seconds from t0 to the last byte written."""
    last = None
    while True:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            if last is None:
                raise TimeoutError("no output")
            return last - t0
        os.read(fd, 65536)
        last = time.perf_counter()


def pgdn_ms(q, presses):
    """PgDn to repainted page: from the key to the last byte of the update
    (curses writes only what changed, so no marker text can be awaited)."""
    init = "/tmp/quarry-bench-grid.qry"
    with open(init, "w") as f:
        f.write("CREATE TABLE big AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL "
                "SELECT i + 1 FROM c WHERE i < 1000000) SELECT i AS id, "
                "(i * 7919) % 1000 AS score, 'name ' || i AS name, i * 0.25 AS x FROM c;\n")
    pid, fd = spawn([q, "--init", init])
    read_until(fd, b"quarry>", 120)
    os.write(fd, b"view big\r")
    read_quiet(fd)
    ts = []
    for _ in range(presses):
        t0 = time.perf_counter()
        os.write(fd, b"\x1b[6~")
        ts.append(last_byte_after(fd, t0) * 1000)
    os.write(fd, b"q")
    finish(pid, fd)
    return ts


def main():
    q = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    s = start_ms(q, runs)
    p = pgdn_ms(q, 5 * runs)
    print(f"start_ms={statistics.median(s):.1f} (min {min(s):.1f} max {max(s):.1f}) "
          f"pgdn_ms={statistics.median(p):.2f} (min {min(p):.2f} max {max(p):.2f}) "
          f"runs={runs} presses={5 * runs}")


if __name__ == "__main__":
    main()
