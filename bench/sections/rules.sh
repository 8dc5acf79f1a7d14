#!/bin/sh
# bench/sections/rules.sh: frequent itemsets and rules (issue 16) against
# Weka's FPGrowth and Christian Borgelt's fpgrowth and eclat, whole
# processes, paired through bench/pair.py (tools in turn each round, the
# order rotating; CPU time and peak RSS of each process kept):
#   supermarket.arff (Weka's example, 4,627 baskets) at 10 % support and
#   basket_100k (../shared/peer-bench/gen_data.py fim: 100,000 Quest-style
#   baskets over 1,000 items) at 0.5 % and 0.1 %, confidence 0.9.
# quarry: `load` + `rules` (the default miner, dEclat; maxlen=30: every
# itemset, rules with any consequent, three tables written). Weka 3.6
# FPGrowth: `-S -N 100000000 -C 0.9 -M SUP` (as peer-bench/fim_weka.sh),
# WEKA_JAR; the JVM's start alone (java -cp JAR weka.core.Version) is a tool
# of its own. Borgelt: fpgrowth and eclat -tr -o -m2 -sSUP -c90 (rules, heads
# single items) from FIM_BIN, a directory with his binaries built in /tmp
# (never in this repository). Peers missing are skipped.
# A second quarry tool runs the same with `set columns=on` (the result tables
# written as column tables, arrays put directly).
# Then bench/rules_time.c splits quarry's statement into its phases (CPU
# seconds of the thread, so the shared machine's other work does not count):
# database, mining kernel, rules, columns, the three writes (as rows, then as
# column tables).
# Prints a markdown section. Environment: QB_DIR (default /tmp/quarry-bench;
# data from gen_data.py fim), QUARRY, PYTHON, RUNS (3), WEKA_JAR, FIM_BIN.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
. "$here/harness.sh"
QB=${QB_DIR:-/tmp/quarry-bench}
D=$QB/data
Q=${QUARRY:-$root/quarry}
PY=${PYTHON:-/usr/bin/python3}
RUNS=${RUNS:-3}
JAR=${WEKA_JAR:-/usr/share/java/weka.jar}
BIN=${FIM_BIN:-}
tmp=$(mktemp -d /tmp/quarry-rules.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
gunzip -c "$root/tests/data/supermarket.arff.gz" > "$tmp/supermarket.arff"
for f in basket_100k.csv basket_100k.arff basket_100k.txt supermarket.txt; do
    [ -f "$D/$f" ] || { echo "missing $D/$f: run ../shared/peer-bench/gen_data.py fim" >&2; exit 1; }
done
bench_cc "$tmp/rules_time" "$here/rules_time.c"
have_w=0; [ -f "$JAR" ] && command -v java >/dev/null && have_w=1
have_b=0; [ -n "$BIN" ] && [ -x "$BIN/fpgrowth" ] && [ -x "$BIN/eclat" ] && have_b=1

for w in super b05 b01; do
    case $w in
        super) sup=0.1; qin="$tmp/supermarket.arff"; qargs=""; win="$tmp/supermarket.arff"; bin=$D/supermarket.txt
               ew="0.788-0.863"; eb="0.025-0.026"; ee="0.039-0.040" ;;
        b05) sup=0.005; qin=$D/basket_100k.csv; qargs="tid=tid item=item"; win=$D/basket_100k.arff; bin=$D/basket_100k.txt
             ew="2.65-2.83"; eb="0.175-0.198"; ee="0.08-0.10" ;;
        b01) sup=0.001; qin=$D/basket_100k.csv; qargs="tid=tid item=item"; win=$D/basket_100k.arff; bin=$D/basket_100k.txt
             ew="9.7-10.7"; eb="0.209-0.257"; ee="0.161-0.219" ;;
    esac
    pct=$("$PY" -c "print($sup * 100)")
    set -- "q=$Q --timing -c 'load $qin as t' -c 'rules t $qargs minsup=$sup minconf=0.9 maxlen=30 force=yes'" \
        "c=$Q --timing -c 'set columns=on' -c 'load $qin as t' -c 'rules t $qargs minsup=$sup minconf=0.9 maxlen=30 force=yes'"
    [ $have_w = 1 ] && set -- "$@" \
        "w=java -Xmx4g -cp $JAR weka.associations.FPGrowth -t $win -S -N 100000000 -C 0.9 -M $sup" \
        "j=java -cp $JAR weka.core.Version" --expect "w=$ew@AMD EPYC"
    [ $have_b = 1 ] && set -- "$@" \
        "b=$BIN/fpgrowth -tr -o -m2 -s$pct -c90 $bin /dev/null" \
        "e=$BIN/eclat -tr -o -m2 -s$pct -c90 $bin /dev/null" \
        --expect "b=$eb@AMD EPYC" --expect "e=$ee@AMD EPYC"
    "$PY" "$here/pair.py" run "$tmp/$w.json" "$RUNS" "$@"
    "$tmp/rules_time" "$qin" "$sup" 5 declat 0.9 | tail -1 > "$tmp/$w.phases"
    "$tmp/rules_time" "$qin" "$sup" 5 declat 0.9 columns | tail -1 > "$tmp/$w.cphases"
done

"$PY" - "$tmp" "$here" <<'PY'
import json, re, statistics as st, sys
tmp, here = sys.argv[1:]
sys.path.insert(0, here)
import pair
names = {"super": "supermarket.arff, 10 %", "b05": "basket_100k, 0.5 %", "b01": "basket_100k, 0.1 %"}
label = {"q": "quarry load + rules (declat)", "c": "quarry, set columns=on (column tables)", "w": "Weka 3.6 FPGrowth", "j": "JVM start alone (weka.core.Version)",
         "b": "Borgelt fpgrowth", "e": "Borgelt eclat"}
res = {w: json.load(open(f"{tmp}/{w}.json")) for w in names}
ph = {w: dict(kv.split("=") for kv in open(f"{tmp}/{w}.phases").read().split()) for w in names}
cph = {w: dict(kv.split("=") for kv in open(f"{tmp}/{w}.cphases").read().split()) for w in names}

def counts(w, t):
    out = res[w]["rounds"][0][t]["out"]
    if t in "qc":
        m = re.search(r"(\d+) itemsets.* (\d+) rules at", out)
        return m.groups() if m else ("-", "-")
    if t == "w":
        m = re.search(r"FPGrowth found (\d+) rules", out)
        return ("-", m.group(1) if m else "-")
    if t in "be":
        s = re.findall(r"\[(\d+) set\(s\)\]", out)
        r = re.findall(r"\[(\d+) rule\(s\)\]", out)
        return (s[-1] if s else "-", r[-1] if r else "-")
    return ("-", "-")

def step(w, t):
    v = [float(m) for g in res[w]["rounds"] for m in re.findall(r"time: real ([0-9.]+)s", g[t]["out"])[-1:]]
    return st.median(v) if v else float("nan")

print("## rules (issue 16): frequent itemsets and rules against Weka and Borgelt")
print()
first = res["super"]["meta"]
print(f"Whole processes, confidence 0.9, paired through bench/pair.py (run {first['date']}). quarry "
      "loads the data (ARFF or the long CSV) into its SQLite catalog and runs `rules ... maxlen=30 "
      "force=yes` (all itemsets, rules with any consequent, three tables written); its rules "
      "statement's own wall time is the step column. Ratios are medians of the per-round ratios, "
      "with their range, wall and CPU.")
print()
print("| data, support | tool | itemsets | rules | wall s | CPU s | step s | peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|")
goals = []
for w in names:
    r = res[w]
    tools = r["meta"]["tools"]
    for t in tools:
        wall = st.median(g[t]["wall"] for g in r["rounds"])
        cpu = st.median(g[t]["cpu"] for g in r["rounds"])
        rss = max(g[t]["rss_mib"] for g in r["rounds"])
        s, n = counts(w, t)
        print(f"| {names[w]} | {label[t]} | {s} | {n} | {wall:.3f} | {cpu:.3f} | "
              f"{step(w, t) if t in 'qc' else float('nan'):.3f} | {rss:.0f} |".replace("nan", "-"))
    for t, goal, what in [("w", 0.05, "<= 0.05x Weka FPGrowth"), ("b", 2.0, "within 2x of Borgelt fpgrowth"),
                          ("e", 2.0, "within 2x of Borgelt eclat")]:
        if t not in tools:
            goals.append(f"{names[w]}: {what}: not measured (peer missing)")
            continue
        for q in "qc":
            x = pair.summary(r, q, t)
            goals.append(f"{names[w]}: {what}{' (columns=on)' if q == 'c' else ''}: quarry / peer wall "
                         f"**{x['ratio']:.3f}** ({x['lo']:.3f}-{x['hi']:.3f}), CPU {x['cpu']:.3f}: "
                         f"**{'met' if x['ratio'] <= goal else 'not met'}**"
                         f"{' (met by CPU)' if x['ratio'] > goal and x['cpu'] <= goal else ''}")
print()
for g in goals:
    print(f"- {g}")
print()
print("Where quarry's rules statement goes (bench/rules_time.c, in one process, CPU seconds of the "
      "thread, median of 5; the load and its frame read are the data path's, timed once):")
print()
print("| data, support | load (CSV/ARFF into SQLite) | database | mining kernel | rules | columns | write itemsets | write rules | write items | statement |")
print("|---|---|---|---|---|---|---|---|---|---|")
for w, p in [(w, p) for w in names for p in (ph[w], cph[w])]:
    print(f"| {names[w]}{', column tables' if p['tables'] == 'columns' else ''} ({p['n_itemsets']} itemsets, {p['n_rules']} rules, {p['n_item_rows']} item rows) | "
          f"{float(p['load']):.3f} | {float(p['db']):.3f} | {float(p['mine']):.3f} | {float(p['rules']):.3f} | "
          f"{float(p['cols']):.3f} | {float(p['write_itemsets']):.3f} | {float(p['write_rules']):.3f} | "
          f"{float(p['write_items']):.3f} | {float(p['statement']):.3f} |")
print()
for w in names:
    print(f"- {names[w]}: {pair.machine_line(res[w])}. " +
          "; ".join(x for x in (pair.expect_note(res[w], t) for t in "wbe") if x) + ".")
print()
print("Rule counts differ by design: Borgelt's heads are single items, Weka's and quarry's may "
      "hold several; itemset counts agree with Borgelt's. Weka's time includes the JVM start, "
      "timed alone in its own row.")
print()
print("Command: `WEKA_JAR=... FIM_BIN=... sh bench/section.sh rules` (`RUNS=N`).")
PY
