#!/usr/bin/python3
"""bench/pair.py: the one harness every peer comparison in bench/ uses.

  pair.py run OUT.json ROUNDS NAME=CMD [NAME=CMD ...] [--expect NAME=LO-HI@CPU]
  pair.py ratio OUT.json A B [--field KEY]   one line: median (min-max), cpu ratio
  pair.py machine                             CPU model, cores, load average

run: the tools run in turn within each round, the order rotating round by
round (two tools: alternating), after one warm-up round that is not counted;
nothing waits for a quiet machine first (the first process after an idle
pause pays extra first-touch page faults, perf-baselines.md). Every run is
`sh -c CMD`, timed by wall clock and by the CPU time of its process tree
(os.wait4), with its peak RSS; its stdout is kept in OUT.json, so a section
can read in-process figures from it.

Outliers: --expect NAME=LO-HI@CPU gives the peer's expected wall seconds on
the CPU whose lscpu model name contains CPU (research/perf-baselines.md,
wave2-baselines.md; for the Xeon this project's sessions also run on,
bench/PEER-RANGES.md, measured by bench/peer_ranges.sh); give --expect once
per CPU and the one matching the machine applies. On that CPU a run above HI x 1.1 is flagged; on any
CPU a run above 1.3x the tool's median of this run is flagged. A round with
a flagged run is repeated (at most ROUNDS more times in all), and the
flagged rounds are kept in OUT.json and counted in the summary, never
silently used nor silently dropped.

ratio: the ratio reported is the median of the per-round ratios A/B, with
their range, and beside it the median per-round ratio of CPU seconds.
--field KEY divides a number KEY=VALUE printed by each tool instead of wall.

The machine: OUT.json records the CPU model, the load average at start and
end and the cores other work kept busy during the rounds (/proc/stat busy
time less this harness's children).
"""
import json
import os
import re
import statistics as st
import subprocess
import sys
import time


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def busy_jiffies():
    with open("/proc/stat") as f:
        v = f.readline().split()[1:]
    return sum(int(v[i]) for i in (0, 1, 2, 5, 6, 7))


def loadavg():
    return open("/proc/loadavg").read().split()[:3]


def run_one(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(["sh", "-c", cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mib": ru.ru_maxrss / 1024,
            "rc": p.returncode, "out": out.decode("utf-8", "replace")}


def parse_expect(specs, model=""):
    """NAME -> (lo, hi, cpu). A tool may have one range per CPU (--expect
    given again); the range whose CPU the running machine's model contains
    wins, else the first given (reported as not applying)."""
    exp = {}
    for s in specs:
        name, rest = s.split("=", 1)
        rng, _, cpu = rest.partition("@")
        lo, hi = map(float, rng.split("-"))
        if name not in exp or (cpu and cpu in model and exp[name][2] not in model):
            exp[name] = (lo, hi, cpu)
    return exp


def cmd_run(argv):
    out, rounds = argv[0], int(argv[1])
    tools, expect = [], []
    i = 2
    while i < len(argv):
        if argv[i] == "--expect":
            expect.append(argv[i + 1])
            i += 2
            continue
        name, cmd = argv[i].split("=", 1)
        tools.append((name, cmd))
        i += 1
    model = cpu_model()
    exp = parse_expect(expect, model)
    hz = os.sysconf("SC_CLK_TCK")
    meta = {"cpu": model, "cores": os.cpu_count(), "load_start": loadavg(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "tools": [t[0] for t in tools],
            "expect": {k: list(v) for k, v in exp.items()}}
    b0, t0, ours = busy_jiffies(), time.time(), 0.0
    result = {"meta": meta, "rounds": [], "flagged": []}

    def one_round(r):
        nonlocal ours
        k = r % len(tools)
        order = tools[k:] + tools[:k]
        rec = {"round": r, "order": [n for n, _ in order]}
        for name, cmd in order:
            x = run_one(cmd)
            ours += x["cpu"]
            if x["rc"] != 0:
                sys.exit(f"bench/pair.py: {name} failed (status {x['rc']}): {x['out'][-400:]}")
            rec[name] = x
            print(f"   round {r} {name}: {x['wall']:.3f} s wall, {x['cpu']:.3f} s cpu "
                  f"(load {loadavg()[0]})", file=sys.stderr)
        return rec

    one_round(0)  # warm-up, not counted
    good = [one_round(r) for r in range(1, rounds + 1)]
    extra, nxt = 0, rounds + 1
    while True:
        meds = {n: st.median(g[n]["wall"] for g in good) for n, _ in tools}
        bad = []
        for g in good:
            why = []
            for n, _ in tools:
                w = g[n]["wall"]
                if w > 1.3 * meds[n]:
                    why.append(f"{n} {w:.3f} s > 1.3 x its median {meds[n]:.3f}")
                if n in exp and exp[n][2] and exp[n][2] in model and w > exp[n][1] * 1.1:
                    why.append(f"{n} {w:.3f} s above its expected {exp[n][0]}-{exp[n][1]} s")
            if why:
                g["why"] = why
                bad.append(g)
        if not bad or extra >= rounds:
            break
        for g in bad:
            good.remove(g)
            result["flagged"].append(g)
            print(f"   round {g['round']} flagged ({'; '.join(g['why'])}): repeated", file=sys.stderr)
            if extra < rounds:
                good.append(one_round(nxt))
                nxt += 1
                extra += 1
    result["rounds"] = good
    b1, t1 = busy_jiffies(), time.time()
    meta["load_end"] = loadavg()
    meta["seconds"] = t1 - t0
    meta["cores_busy"] = (b1 - b0) / hz / (t1 - t0)
    meta["other_cores"] = max((b1 - b0) / hz - ours, 0) / (t1 - t0)
    meta["still_flagged"] = len([g for g in good if "why" in g])
    json.dump(result, open(out, "w"), indent=1)


def value(rec, field):
    if field in ("wall", "cpu", "rss_mib"):
        return rec[field]
    m = re.findall(re.escape(field) + r"=([0-9.eE+-]+)", rec["out"])
    if not m:
        raise SystemExit(f"bench/pair.py: no {field}= in the output: {rec['out'][-300:]}")
    return float(m[-1])


def summary(res, a, b, field="wall"):
    rs = [value(g[a], field) / value(g[b], field) for g in res["rounds"]]
    cs = [g[a]["cpu"] / g[b]["cpu"] for g in res["rounds"]]
    return {"ratio": st.median(rs), "lo": min(rs), "hi": max(rs), "cpu": st.median(cs),
            "n": len(rs), "a": st.median(value(g[a], field) for g in res["rounds"]),
            "b": st.median(value(g[b], field) for g in res["rounds"]),
            "a_cpu": st.median(g[a]["cpu"] for g in res["rounds"]),
            "b_cpu": st.median(g[b]["cpu"] for g in res["rounds"]),
            "a_rss": max(g[a]["rss_mib"] for g in res["rounds"]),
            "b_rss": max(g[b]["rss_mib"] for g in res["rounds"])}


def expect_note(res, name):
    """Whether NAME's median wall lies in its expected range (text)."""
    e = res["meta"]["expect"].get(name)
    if not e:
        return ""
    med = st.median(g[name]["wall"] for g in res["rounds"])
    lo, hi, cpu = e
    if cpu and cpu not in res["meta"]["cpu"]:
        return (f"{name}'s expected {lo}-{hi} s is for {cpu}; this run is on "
                f"{res['meta']['cpu']}, so only the 1.3x-of-median check applied "
                f"(median here {med:.2f} s)")
    where = ("inside" if lo <= med <= hi else
             "within 10% of" if lo * 0.9 <= med <= hi * 1.1 else "OUTSIDE")
    return f"{name}'s median {med:.2f} s is {where} its expected {lo}-{hi} s on {cpu}"


def machine_line(res):
    m = res["meta"]
    return (f"CPU {m['cpu']}, {m['cores']} cores seen; load average {' '.join(m['load_start'])} "
            f"at start, {' '.join(m['load_end'])} at end; other work kept {m['other_cores']:.2f} "
            f"cores busy on average during the rounds; {len(res['rounds'])} paired rounds "
            f"after a warm-up, order alternating; {len(res['flagged'])} round(s) flagged as "
            f"outliers and repeated" + (f", {m['still_flagged']} still flagged after the repeats"
                                        if m.get("still_flagged") else "") +
            ("; **a busy machine**: wall times are stretched by other work, the CPU-time "
             "ratio is the steadier figure" if m["other_cores"] > 0.5 else ""))


def cmd_ratio(argv):
    field = "wall"
    if "--field" in argv:
        k = argv.index("--field")
        field = argv[k + 1]
        del argv[k:k + 2]
    res = json.load(open(argv[0]))
    s = summary(res, argv[1], argv[2], field)
    print(f"{s['ratio']:.2f} ({s['lo']:.2f}-{s['hi']:.2f}) cpu {s['cpu']:.2f}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    what, argv = sys.argv[1], sys.argv[2:]
    if what == "run":
        cmd_run(argv)
    elif what == "ratio":
        cmd_ratio(argv)
    elif what == "machine":
        print(f"CPU {cpu_model()}, {os.cpu_count()} cores seen, load average {' '.join(loadavg())}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
