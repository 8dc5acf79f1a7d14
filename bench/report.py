"""Turns the raw outputs of bench/run.sh into tables, the growth plot and
bench/RESULTS.md.

  report.py OUT_DIR [--results RESULTS.md] [--plot growth.png --gnuplot growth.gp]

OUT_DIR is $QB_DIR/bench-out as run.sh left it.  Without --results it only
prints.  Exits non-zero when a correctness check failed (wrong row count,
types or values), after printing everything.
"""
import argparse
import glob
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys

# docs/METHODS.md E: published query time against data volume, seconds.
PUBLISHED = {"fast store": {4e4: 0.067, 4e7: 10.486},
             "slow store": {4e4: 4.034, 4e7: 50.184}}
NKEYS = 100000   # set from meta
OPS = ["load", "group", "lookup", "index", "lookup_idx", "batch"]


def med(xs):
    return statistics.median(xs) if xs else None


def fmt(x, digits=3):
    if x is None:
        return "n/a"
    if x == 0:
        return "<0.001"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.{digits}f}"


def spread(xs, digits=3):
    if not xs:
        return "n/a"
    if len(xs) == 1:
        return fmt(xs[0], digits)
    return f"{fmt(med(xs), digits)} ({fmt(min(xs), digits)}-{fmt(max(xs), digits)})"


def rows_label(n):
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def read_meta(out):
    meta = {}
    with open(os.path.join(out, "meta")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            meta[k] = v
    return meta


def read_marks(out):
    marks = []
    with open(os.path.join(out, "marks")) as f:
        for line in f:
            p = line.split()
            marks.append({"name": p[0], "t": float(p[1]), "busy": int(p[2]) / 100.0,
                          "kids": float(p[3]), "la": " ".join(p[4:7])})
    return marks


def other_cpu(marks, a, b, cpus):
    """CPU seconds used by processes other than this benchmark between two
    marks, and as a share of the machine."""
    m = {x["name"]: x for x in marks}
    if a not in m or b not in m:
        return None
    wall = m[b]["t"] - m[a]["t"]
    other = max(0.0, (m[b]["busy"] - m[a]["busy"]) - (m[b]["kids"] - m[a]["kids"]))
    return other, wall, other / (wall * cpus) if wall > 0 else 0.0


def marked_lines(path, tag):
    out = []
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == tag:
                out.append(p[1:])
    return out


# ------------------------------------------------------------ 1. load, 1M
def load_section(out):
    rounds = sorted(glob.glob(os.path.join(out, "load_round*.json")),
                    key=lambda p: int(re.search(r"(\d+)\.json$", p).group(1)))
    t = {"quarry": [], "sqlite3": [], "pandas": []}
    for p in rounds:
        r = {x["command"]: x["times"][0] for x in json.load(open(p))["results"]}
        for k in t:
            t[k].append(r[k])
    ratio_s = [q / s for q, s in zip(t["quarry"], t["sqlite3"])]
    ratio_p = [q / p for q, p in zip(t["quarry"], t["pandas"])]
    rss = {}
    for k in t:
        kb, _ = open(os.path.join(out, f"rss_{k}")).read().split()[-2:]
        rss[k] = int(kb) / 1024.0
    pr = dict(kv.split("=", 1) for kv in
              open(os.path.join(out, "pandas_read.out")).read().split() if "=" in kv)
    pandas_in = {"med": float(pr["read_s"]), "min": float(pr["min"]),
                 "max": float(pr["max"]), "dtypes": pr["dtypes"], "rows": int(pr["rows"])}
    # correctness
    cq, cs = os.path.join(out, "check_quarry.out"), os.path.join(out, "check_sqlite3.out")
    checks, ok = [], True
    q_sums, s_sums = marked_lines(cq, "sums"), marked_lines(cs, "sums")
    q_typed, s_typed = marked_lines(cq, "typed"), marked_lines(cs, "typed")
    q_quoted = marked_lines(cq, "quoted")
    q_types = marked_lines(cq, "types")
    n_q = int(q_sums[0][0]) if q_sums else -1
    good = n_q == 1_000_000
    ok &= good
    checks.append(f"row count: quarry {n_q:,} (expected 1,000,000): "
                  f"{'ok' if good else 'WRONG'}")
    good = bool(q_typed) and int(q_typed[0][0]) == 1_000_000
    ok &= good
    checks.append("storage types (typeof per column, all 1,000,000 rows integer x3, "
                  f"real x3, text x4): {q_typed[0][0] if q_typed else '?'} rows right: "
                  f"{'ok' if good else 'WRONG'}")
    if q_types:
        checks.append(f"declared types: {q_types[0][0]}")
    good = bool(q_sums) and q_sums == s_sums and q_typed == s_typed
    ok &= good
    checks.append("values: count, sums of every numeric column, distinct counts and "
                  "lengths of the text columns, date range identical to the typed "
                  f"sqlite3 import: {'ok' if good else 'DIFFERENT'}"
                  + ("" if good else f" (quarry {q_sums} {q_typed}; sqlite3 {s_sums} {s_typed})"))
    good = bool(q_quoted) and int(q_quoted[0][0]) > 0
    ok &= good
    checks.append(f"quoted field 'Books, Music & Film' (RFC 4180): "
                  f"{q_quoted[0][0] if q_quoted else '?'} rows: {'ok' if good else 'WRONG'}")
    checks.append(f"pandas: {pandas_in['rows']:,} rows, dtypes {pandas_in['dtypes']} "
                  "(i=int64, f=float64, o=object)")
    return {"t": t, "ratio_s": ratio_s, "ratio_p": ratio_p, "rss": rss,
            "pandas_in": pandas_in, "checks": checks, "ok": ok, "rounds": len(rounds)}


def load_table(L):
    t, rss, pi = L["t"], L["rss"], L["pandas_in"]
    rows = [
        ("quarry `load` (type inference over the whole file) + count(*)",
         spread(t["quarry"]), f"{rss['quarry']:.0f}"),
        ("sqlite3 shell `.import --csv` into :memory:, typed table, + count(*)",
         spread(t["sqlite3"]), f"{rss['sqlite3']:.0f}"),
        ("pandas, whole process (python + import pandas + read_csv)",
         spread(t["pandas"]), f"{rss['pandas']:.0f}"),
        ("pandas `read_csv` in-process (start-up and import excluded)",
         f"{fmt(pi['med'])} ({fmt(pi['min'])}-{fmt(pi['max'])})", "-"),
    ]
    lines = ["| tool | wall s, median (min-max) | peak RSS MiB |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    q = med(t["quarry"])
    lines += ["", "| ratio | median of per-round ratios (min-max) | goal | met |",
              "|---|---|---|---|"]
    rs, rp = L["ratio_s"], L["ratio_p"]
    lines.append(f"| quarry / sqlite3 shell | **{med(rs):.2f}x** ({min(rs):.2f}-{max(rs):.2f}) "
                 f"| <= 0.5x | {'yes' if med(rs) <= 0.5 else 'NO'} |")
    lines.append(f"| quarry / pandas whole process | **{med(rp):.2f}x** "
                 f"({min(rp):.2f}-{max(rp):.2f}) | < 1x | {'yes' if med(rp) < 1 else 'NO'} |")
    lines.append(f"| quarry whole process / pandas read_csv in-process (not paired) "
                 f"| {q / pi['med']:.2f}x | < 1x (stricter) | "
                 f"{'yes' if q / pi['med'] < 1 else 'no'} |")
    lines.append(f"| quarry rows per second, whole process | {1e6 / q / 1e6:.2f} M rows/s "
                 "| 1e6 rows < 0.6 s (perf-baselines 4) | "
                 f"{'yes' if q < 0.6 else 'NO'} |")
    return lines


# ------------------------------------------------------------ 2. growth
def parse_quarry_run(out, n, j):
    times = []
    with open(os.path.join(out, f"g_quarry_{n}_{j}.err")) as f:
        for line in f:
            m = re.match(r"time: real ([0-9.]+)s", line)
            if m:
                times.append(float(m.group(1)))
    if len(times) != 7:
        raise SystemExit(f"g_quarry_{n}_{j}.err: expected 7 timing lines, got {len(times)}")
    o = os.path.join(out, f"g_quarry_{n}_{j}.out")
    return dict(zip(OPS, times[:6])), marked_lines(o, "check"), marked_lines(o, "batch")


def parse_sqlite_run(out, n, j):
    o = os.path.join(out, f"g_sqlite3_{n}_{j}.out")
    times = []
    load = None
    with open(o) as f:
        for line in f:
            m = re.match(r"Run Time: real ([0-9.]+)", line)
            if m:
                times.append(float(m.group(1)))
            elif line.startswith("load_s\t"):
                load = float(line.split("\t")[1])
    if len(times) != 5 or load is None:
        raise SystemExit(f"g_sqlite3_{n}_{j}.out: expected load_s and 5 timer lines")
    return dict(zip(OPS, [load] + times)), marked_lines(o, "check"), marked_lines(o, "batch")


def growth_section(out, sizes, data_dir):
    G, checks, ok = {}, [], True
    for n in sizes:
        runs = sorted(int(m.group(1)) for m in
                      (re.search(rf"g_quarry_{n}_(\d+)\.err$", p)
                       for p in glob.glob(os.path.join(out, f"g_quarry_{n}_*.err"))) if m)
        for tool, parse in (("quarry", parse_quarry_run), ("sqlite3", parse_sqlite_run)):
            acc = {op: [] for op in OPS}
            acc["rss"] = []
            batches = set()
            for j in runs:
                t, check, batch = parse(out, n, j)
                for op in OPS:
                    acc[op].append(t[op])
                kb = open(os.path.join(out, f"g_{tool}_{n}_{j}.rss")).read().split()[-2]
                acc["rss"].append(int(kb) / 1024.0)
                cnt = int(check[0][0]) if check else -1
                if cnt != n:
                    ok = False
                    checks.append(f"{tool} {n} rows run {j}: count(*) = {cnt}, WRONG")
                batches.add(tuple(batch[0]) if batch else None)
            acc["batch_result"] = batches
            acc["runs"] = len(runs)
            G[(tool, n)] = acc
        bq, bs = G[("quarry", n)]["batch_result"], G[("sqlite3", n)]["batch_result"]
        good = len(bq) == 1 and bq == bs and next(iter(bq))[0] == str(NKEYS)
        ok &= good
        if not good:
            checks.append(f"{n} rows: {NKEYS:,}-key batch differs: quarry {bq} sqlite3 {bs}")
        size = os.path.getsize(os.path.join(data_dir, f"growth_{n}.csv"))
        G[("size", n)] = size
    if ok:
        checks.append(f"every run: count(*) = rows loaded, and the {NKEYS:,}-key indexed "
                      f"batch found {NKEYS:,} rows with the same sum(quantity) in quarry and sqlite3")
    return G, checks, ok


def growth_tables(G, sizes):
    lines = []
    for tool, title in (("quarry", "quarry (`--timing`, one process per run)"),
                        ("sqlite3", "sqlite3 shell (`.timer on`; load = `.import` wall "
                                    "from julianday('now') around it)")):
        lines += [f"**{title}**, seconds, median of runs (min-max):", "",
                  "| rows | CSV MB | runs | load | M rows/s | group-by | lookup, no index "
                  f"| CREATE INDEX | lookup, indexed | per key, indexed ({NKEYS:,}-key batch) "
                  "| peak RSS MiB |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for n in sizes:
            a = G[(tool, n)]
            load = med(a["load"])
            per_key_us = med(a["batch"]) / NKEYS * 1e6
            lines.append(
                f"| {rows_label(n)} | {G[('size', n)] / 1e6:.0f} | {a['runs']} "
                f"| {spread(a['load'])} | {n / load / 1e6:.2f} "
                f"| {spread(a['group'])} | {spread(a['lookup'])} | {spread(a['index'])} "
                f"| {fmt(med(a['lookup_idx']))} | {per_key_us:.1f} us "
                f"| {med(a['rss']):.0f} |")
        lines.append("")
    lines += ["**quarry / sqlite3 shell** (ratio of medians; < 1 = quarry faster or "
              "smaller):", "",
              "| rows | load | group-by | lookup, no index | CREATE INDEX "
              "| per key, indexed | peak RSS |", "|---|---|---|---|---|---|---|"]
    for n in sizes:
        q, s = G[("quarry", n)], G[("sqlite3", n)]

        def r(op):
            a, b = med(q[op]), med(s[op])
            return f"{a / b:.2f}x" if b else "n/a"
        lines.append(f"| {rows_label(n)} | {r('load')} | {r('group')} | {r('lookup')} "
                     f"| {r('index')} | {r('batch')} | {r('rss')} |")
    lines += [""] + growth_notes(G, sizes)
    return lines


def growth_notes(G, sizes):
    """Growth exponents (slope of log time against log rows) and where
    quarry is slower than the sqlite3 shell."""
    names = {"load": "load", "group": "group-by", "lookup": "lookup, no index",
             "index": "CREATE INDEX", "batch": "per key, indexed", "rss": "peak RSS"}
    lines = []
    if len(sizes) >= 2:
        # from the second size up when there are three or more: the smallest
        # has times near the 1 ms resolution
        a, b = (sizes[1], sizes[-1]) if len(sizes) >= 3 else (sizes[0], sizes[-1])
        lines += [f"Growth exponent k in cost ~ rows^k (seconds; MiB for peak RSS), from "
                  f"{rows_label(a)} to {rows_label(b)} rows (1 = linear):", "",
                  "| | " + " | ".join(names.values()) + " |",
                  "|---|" + "---|" * len(names)]
        for tool in ("quarry", "sqlite3"):
            cells = []
            for op in names:
                ta, tb = med(G[(tool, a)][op]), med(G[(tool, b)][op])
                cells.append(f"{math.log(tb / ta) / math.log(b / a):.2f}"
                             if ta and tb else "n/a")
            lines.append(f"| {tool} | " + " | ".join(cells) + " |")
        lines.append("")
    slow = []
    for op, name in names.items():
        worst = max(((med(G[("quarry", n)][op]) / med(G[("sqlite3", n)][op]), n)
                     for n in sizes if med(G[("sqlite3", n)][op])), default=None)
        if worst and worst[0] > 1.15:
            slow.append(f"{name} (up to {worst[0]:.2f}x, at {rows_label(worst[1])} rows)")
    lines.append("Where quarry is more than 1.15x the sqlite3 shell: "
                 + ("; ".join(slow) if slow else "nowhere") + ".")
    return lines


def cache_section(out, cs):
    """sqlite3 shell at 1M rows, default cache_size against quarry's."""
    res = {}
    for tag in ("default", cs):
        g, ix, rss = [], [], []
        for p in sorted(glob.glob(os.path.join(out, f"cache_{tag}_*.out"))):
            t = [float(m.group(1)) for m in
                 re.finditer(r"Run Time: real ([0-9.]+)", open(p).read())]
            if len(t) == 2:
                g.append(t[0])
                ix.append(t[1])
            rss.append(int(open(p[:-4] + ".rss").read().split()[-2]) / 1024.0)
        if not g:
            return []
        res[tag] = (g, ix, rss)
    d, q = res["default"], res[cs]
    lines = ["## 3. SQLite's sorter and quarry's cache_size (diagnosis)", "",
             f"src/data/catalog.c sets `PRAGMA cache_size={cs}` on the in-memory catalog. For an "
             "in-memory database the page cache holds nothing that is not in memory anyway, "
             "but the size also sets how much SQLite's sorter (GROUP BY without an index, "
             "CREATE INDEX, ORDER BY) sorts in one piece before merging. The sqlite3 shell "
             f"on sales_1m.csv, {len(d[0])} runs each, in turn:", "",
             "| sqlite3 shell | GROUP BY category s | CREATE INDEX on order_id s "
             "| peak RSS MiB |", "|---|---|---|---|",
             f"| default cache_size (-2000, 2 MiB) | {spread(d[0])} | {spread(d[1])} "
             f"| {med(d[2]):.0f} |",
             f"| `PRAGMA cache_size={cs}` (quarry's) | {spread(q[0])} | {spread(q[1])} "
             f"| {med(q[2]):.0f} |", "",
             f"With quarry's setting the shell's GROUP BY takes {med(q[0]) / med(d[0]):.2f}x "
             f"and CREATE INDEX {med(q[1]) / med(d[1]):.2f}x the time of its default."]
    return lines


def write_plot(G, sizes, out, png, gp):
    dat = os.path.join(out, "growth.dat")
    with open(dat, "w") as f:
        f.write("# rows q_load s_load q_group s_group q_lookup s_lookup "
                "q_perkey s_perkey\n")
        for n in sizes:
            q, s = G[("quarry", n)], G[("sqlite3", n)]
            vals = [med(q["load"]), med(s["load"]), med(q["group"]), med(s["group"]),
                    med(q["lookup"]), med(s["lookup"]),
                    med(q["batch"]) / NKEYS, med(s["batch"]) / NKEYS]
            f.write(f"{n} " + " ".join(f"{max(v, 1e-7):.7g}" for v in vals) + "\n")
    pub = os.path.join(out, "published.dat")
    with open(pub, "w") as f:
        for pts in PUBLISHED.values():
            for x, y in sorted(pts.items()):
                f.write(f"{x:g} {y:g}\n")
            f.write("\n\n")
    if not shutil.which("gnuplot"):
        print("gnuplot not found (apt-get install gnuplot-nox): no plot", file=sys.stderr)
        return False
    subprocess.run(["gnuplot", "-e", f"dat='{dat}'; pub='{pub}'; out='{png}'", gp],
                   check=True)
    return True


# ------------------------------------------------------------ main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--results")
    ap.add_argument("--plot")
    ap.add_argument("--gnuplot")
    a = ap.parse_args()
    meta = read_meta(a.out)
    marks = read_marks(a.out)
    global NKEYS
    NKEYS = int(meta["nkeys"])
    sizes = [int(x) for x in meta["sizes"].split()]
    cpus = int(meta["cpus"])
    L = load_section(a.out)
    G, gchecks, gok = growth_section(a.out, sizes, os.path.join(meta["qb_dir"], "data"))

    busy = []
    for a_, b_, what in (("start", "end", "whole run"), ("data", "load", "1M load section"),
                         ("load", "end", "growth section")):
        r = other_cpu(marks, a_, b_, cpus)
        if r:
            busy.append(f"{what}: other processes used {r[0]:.0f} CPU-s in {r[1]:.0f} s "
                        f"wall ({100 * r[2]:.0f} % of the {cpus} cores)")
    m = {x["name"]: x for x in marks}
    la = f"load average (1/5/15 min) at start {m['start']['la']}, at end {m['end']['la']}"

    plot_ok = False
    if a.plot and a.gnuplot:
        plot_ok = write_plot(G, sizes, a.out, a.plot, a.gnuplot)
    else:
        write_plot(G, sizes, a.out, os.path.join(a.out, "growth.png"),
                   os.path.join(os.path.dirname(os.path.abspath(__file__)), "growth.gp"))

    elapsed = int(meta["elapsed_s"])
    md = []
    md += ["# quarry benchmarks", "",
           "Written by `bench/run.sh` (`make bench`); every figure below is rewritten by",
           "the next run. Method notes are at the end.", "",
           "| | |", "|---|---|",
           f"| date | {meta['date']} |",
           f"| command | `make bench` (= `sh bench/run.sh`): {elapsed // 60} min {elapsed % 60} s"
           f" (data generation included when the data is missing; after "
           f"{meta.get('waited_quiet_s', '0')} s waiting for a quiet machine) |",
           f"| machine | {meta['cpu']} (family {meta['cpu_family']} model {meta['cpu_model']}),"
           f" {meta['cpus']} CPUs = {meta['cores']} cores x {meta['threads_per_core']} thread,"
           f" {meta['mem']}, Linux {meta['kernel']} |",
           f"| versions | {meta['quarry'].strip()}; sqlite3 shell {meta['sqlite3']};"
           f" pandas {meta['pandas']} (Python {meta['python']}); hyperfine {meta['hyperfine']} |",
           f"| machine load | {la}; " + "; ".join(busy) + " |",
           f"| data | `{meta['qb_dir']}/data`: sales_1m.csv (md5 {meta['sales_1m_md5']}), the "
           "peer bench's `gen_data.py ingest` set; growth_N.csv from bench/gen_growth.py |",
           "",
           "## 1. CSV ingest: 1,000,000 rows x 10 columns (sales_1m.csv, 64 MB)", "",
           f"Whole commands, hyperfine, {L['rounds']} rounds after 1 warm-up round; in each "
           "round the three commands run one after the other (order rotated per round), "
           "and the ratios are the medians of the per-round ratios.", ""]
    md += load_table(L)
    md += ["", "Commands timed:", "",
           "    " + open(os.path.join(a.out, "cmd_quarry")).read().strip(),
           "    " + open(os.path.join(a.out, "cmd_sqlite3")).read().strip()
           + "   # schema + .import --csv --skip 1 + SELECT count(*)",
           "    " + open(os.path.join(a.out, "cmd_pandas")).read().strip(), "",
           "Checks:", ""]
    md += [f"- {c}" for c in L["checks"]]
    md += ["", "## 2. Cost against data volume (docs/METHODS.md E)", "",
           "Same column shapes and distributions as sales_1m.csv (bench/gen_growth.py). Per "
           "run, one process does: `load` / `.import`; "
           "`SELECT category, count(*), avg(unit_price) FROM t GROUP BY category`; "
           "`SELECT * FROM t WHERE order_id = N/2+1` (no index: quarry creates none, so it is "
           "a full scan); `CREATE INDEX t_order_id ON t(order_id)`; the same lookup again; "
           f"then {NKEYS:,} indexed lookups in one statement (a recursive CTE of keys CROSS JOIN "
           f"t), whose time / {NKEYS:,} is the per-key figure (CTE overhead included). quarry and sqlite3 alternate run by run. "
           "Peak RSS is the whole process (load + queries + index), GNU time.", ""]
    md += growth_tables(G, sizes)
    md += ["", "Checks:", ""] + [f"- {c}" for c in gchecks]
    if plot_ok:
        md += ["", "![growth](growth.png)", "",
               "`bench/growth.png`: log-log seconds against rows; solid = quarry, dashed = "
               "sqlite3 shell; grey points = the published fast and slow stores of "
               "docs/METHODS.md E (4e4 and 4e7 rows, other hardware and queries: context only)."]
    if meta.get("cache_size"):
        md += [""] + cache_section(a.out, meta["cache_size"])
    md += ["", "## Method notes", "",
           "- Timings on a shared 2-core VM: the machine-load line above says how much "
           "CPU other work took during the run; a section where it is high is suspect.",
           "- quarry's load includes its type-inference pass over the whole file; the "
           "sqlite3 shell is given the typed schema up front (sales_schema.sql), "
           "so it infers nothing; pandas infers (C parser, defaults).",
           "- Growth load times are in-process (quarry `--timing`; sqlite3 `julianday('now')`"
           " before and after `.import`), i.e. without process start-up; query times are "
           "quarry `--timing` and sqlite3 `.timer` (both wall, ms resolution: a lookup "
           "under 1 ms shows as <0.001, hence the batch of keys).",
           "- Reproduce: `make bench`; `RUNS=3`, `SIZES=\"40000 400000\"`, `BIG=1` (adds "
           "40M rows), `NO_RESULTS=1` (print only); raw outputs in "
           f"`{meta['qb_dir']}/bench-out`.", ""]

    text = "\n".join(md)
    print(text)
    if a.results:
        with open(a.results + ".tmp", "w") as f:
            f.write(text)
        os.replace(a.results + ".tmp", a.results)
        print(f"\nwrote {a.results}" + (f" and {a.plot}" if plot_ok else ""), file=sys.stderr)
    if not (L["ok"] and gok):
        print("bench: a correctness check FAILED (see Checks)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
