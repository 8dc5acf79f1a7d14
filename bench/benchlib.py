"""What the classification bench scripts share: the CPU model, the share of
the machine other work took (from /proc/stat), paired-round ratios."""
import statistics


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def stat_busy():
    """(busy jiffies, total jiffies) of every CPU so far."""
    f = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    idle = f[3] + f[4]
    return sum(f) - idle, sum(f)


def cores_busy(start, end, ncpu):
    """Mean cores busy between two stat_busy() readings."""
    busy, total = end[0] - start[0], end[1] - start[1]
    return ncpu * busy / total if total else 0.0


def loadavg():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def ratio_line(q, s):
    """Median of the per-round ratios q[i] / s[i], and their range."""
    r = [a / b for a, b in zip(q, s)]
    return statistics.median(r), min(r), max(r)
