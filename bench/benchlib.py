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


# The CPU the expected ranges of research/perf-baselines.md were measured on.
BASELINE_CPU = "AMD EPYC"


def peer_check(seconds, lo, hi, what):
    """The peer-check sentence: seconds against the expected [lo, hi] (a run
    up to 1.25 x hi passes) when this CPU is the baselines' CPU; on another
    CPU the range says nothing, and the sentence says so."""
    cpu = cpu_model()
    if BASELINE_CPU not in cpu:
        return (f"Peer check: {what} took {seconds:.3f} s (median); the expected "
                f"{lo:.2f}-{hi:.2f} s was measured on an {BASELINE_CPU} (Zen 4), and this "
                f"CPU is \"{cpu}\", so the range does not apply; the paired ratios decide.")
    ok = lo * 0.9 <= seconds <= hi * 1.25
    return (f"Peer check: {what} took {seconds:.3f} s (median) against the expected "
            f"{lo:.2f}-{hi:.2f} s: " + ("within range." if ok else
            "OUTSIDE the range: the machine was busy, so only the paired ratios mean anything."))
