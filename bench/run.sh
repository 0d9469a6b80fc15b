#!/usr/bin/env bash
# Benchmark ecosite against Hugo on the shared corpus of Chinese work summaries.
#
#   bench/run.sh [PAGES...]          default: 1000 10000
#
# Environment:
#   BENCH_DIR=DIR     working folder (corpora, outputs, JSON, results.md); default: a fresh mktemp -d.
#                     A corpus already generated there by the same gen_corpus.py is reused.
#   GEN_CORPUS=FILE   path of gen_corpus.py; default: <repo>/../shared/bench/gen_corpus.py
#   RUNS=N            timed runs per command for hyperfine (default 5; 1 warm-up run always)
#   MEM_RUNS=N        runs per command for peak memory (default 3; the median is reported)
#   SKIP_BUILD=1      do not run `cargo build --release`; use the existing target/release/ecosite
#   SKIP_ECOSITE=1    measure Hugo only (no build, no ecosite runs; ecosite columns show "–")
#
# Results: prints a Markdown table and writes it to $WORK/results.md (not committed).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
RUNS="${RUNS:-5}"
MEM_RUNS="${MEM_RUNS:-3}"
SKIP_BUILD="${SKIP_BUILD:-0}"
SKIP_ECOSITE="${SKIP_ECOSITE:-0}"
GEN_CORPUS="${GEN_CORPUS:-$REPO/../shared/bench/gen_corpus.py}"
ECOSITE="$REPO/target/release/ecosite"

case "${1:-}" in -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
if [ "$#" -gt 0 ]; then PAGES=("$@"); else PAGES=(1000 10000); fi
for n in "${PAGES[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/run.sh [PAGES...]  (PAGES: positive integers, got '$n')" >&2; exit 2; }
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive integer" >&2; exit 2; }
[[ "$MEM_RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "MEM_RUNS must be a positive integer" >&2; exit 2; }
[ -f "$GEN_CORPUS" ] || { echo "gen_corpus.py not found at $GEN_CORPUS (set GEN_CORPUS)" >&2; exit 1; }
GEN_CORPUS="$(cd "$(dirname "$GEN_CORPUS")" && pwd)/$(basename "$GEN_CORPUS")"

log() { printf '\n== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------------
missing=()
command -v hugo >/dev/null 2>&1 || missing+=(hugo)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null 2>&1 || { echo "python3 is required" >&2; exit 1; }
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- ecosite binary ----------------------------------------------------------------------------------
if [ "$SKIP_ECOSITE" = 1 ]; then
  log "SKIP_ECOSITE=1: measuring Hugo only"
elif [ "$SKIP_BUILD" = 1 ]; then
  log "SKIP_BUILD=1: using existing $ECOSITE"
else
  log "cargo build --release in $REPO"
  (cd "$REPO" && cargo build --release)
fi
if [ "$SKIP_ECOSITE" != 1 ] && [ ! -x "$ECOSITE" ]; then
  echo "no ecosite binary at $ECOSITE" >&2; exit 1
fi

# --- working folder ----------------------------------------------------------------------------------
if [ -n "${BENCH_DIR:-}" ]; then
  mkdir -p "$BENCH_DIR"; WORK="$(cd "$BENCH_DIR" && pwd)"
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/ecosite-bench.XXXXXX")"
fi
log "working folder: $WORK"
GEN_SUM="$(sha256sum "$GEN_CORPUS" | cut -d' ' -f1)"

# median of the KiB figures in the given files, printed in KiB
median_kib() { cat "$@" | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
count_index() { if [ -d "$1" ]; then find "$1" -type f -name index.html | wc -l; else echo 0; fi; }

rows=()
for n in "${PAGES[@]}"; do
  C="$WORK/corpus-$n"
  if [ -f "$C/.generated" ] && [ "$(cat "$C/.generated")" = "$n $GEN_SUM" ]; then
    log "N=$n: reusing corpus in $C"
  else
    log "N=$n: generating corpus in $C"
    rm -rf "$C"
    python3 "$GEN_CORPUS" --pages "$n" --out "$C" >&2
    echo "$n $GEN_SUM" > "$C/.generated"
  fi
  eco_cmd="$(printf '%q build --root %q --out %q' "$ECOSITE" "$C/ecosite" "$C/eco-out")"
  hugo_cmd="$(printf 'hugo --quiet -s %q -d %q' "$C/hugo" "$C/hugo-out")"

  # sanity check: one build each, then count the pages written
  log "N=$n: sanity build"
  if [ "$SKIP_ECOSITE" != 1 ]; then
    eval "$eco_cmd" >&2
    echo "ecosite: $(count_index "$C/eco-out") index.html files in $C/eco-out (expect > $n: summaries + area lists + home + more)" >&2
  fi
  eval "$hugo_cmd" >&2
  echo "hugo:    $(count_index "$C/hugo-out") index.html files in $C/hugo-out (expect $((n + 9)): pages + 8 area lists + home)" >&2

  # wall time: both commands in the same hyperfine run
  log "N=$n: hyperfine (1 warm-up, $RUNS runs)"
  J="$WORK/hyperfine-$n.json"
  hf=(hyperfine -w 1 -r "$RUNS" --export-json "$J")
  [ "$SKIP_ECOSITE" = 1 ] || hf+=(-n ecosite "$eco_cmd")
  hf+=(-n hugo "$hugo_cmd")
  "${hf[@]}" >&2

  # peak memory: max RSS of the whole process, MEM_RUNS runs each, alternating; median reported
  log "N=$n: peak memory (/usr/bin/time -f %M, $MEM_RUNS runs each, median)"
  M="$WORK/mem-$n"; rm -rf "$M"; mkdir -p "$M"
  for i in $(seq 1 "$MEM_RUNS"); do
    if [ "$SKIP_ECOSITE" != 1 ]; then
      /usr/bin/time -f '%M' -o "$M/ecosite.$i" "$ECOSITE" build --root "$C/ecosite" --out "$C/eco-out" >/dev/null
    fi
    /usr/bin/time -f '%M' -o "$M/hugo.$i" hugo --quiet -s "$C/hugo" -d "$C/hugo-out" >/dev/null
  done
  eco_kib="-"
  if [ "$SKIP_ECOSITE" != 1 ]; then
    eco_kib="$(median_kib "$M"/ecosite.*)"
    echo "ecosite max RSS KiB: $(cat "$M"/ecosite.* | tr '\n' ' ')" >&2
  fi
  hugo_kib="$(median_kib "$M"/hugo.*)"
  echo "hugo    max RSS KiB: $(cat "$M"/hugo.* | tr '\n' ' ')" >&2
  # write floor: replacing ecosite's output tree by plain file copying (rm -rf the old copy, cp -r), median
  floor="-"
  if [ "$SKIP_ECOSITE" != 1 ]; then
    for i in $(seq 1 "$MEM_RUNS"); do
      /usr/bin/time -f '%e' -o "$M/floor.$i" sh -c 'rm -rf "$1" && cp -r "$2" "$1"' sh "$C/floor-out" "$C/eco-out"
    done
    rm -rf "$C/floor-out"
    floor="$(sort -n "$M"/floor.* | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    echo "write floor (rm -rf + cp -r of eco-out), s: $(cat "$M"/floor.* | tr '\n' ' ')" >&2
  fi
  rows+=("$n $J $eco_kib $hugo_kib $floor")
done

# --- table -------------------------------------------------------------------------------------------
RESULTS="$WORK/results.md"
python3 - "$RESULTS" "$RUNS" "$MEM_RUNS" "$(hugo version | awk '{print $2}')" "$(nproc)" "${rows[@]}" <<'PY'
import json, sys
out, runs, mem_runs, hugo_ver, cores, rows = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
def fmt(x, d=2): return "–" if x is None else f"{x:.{d}f}"
lines = ["| pages | ecosite median wall (s) | Hugo median wall (s) | speed ratio (Hugo/ecosite) "
         "| ecosite peak MiB | Hugo peak MiB | memory ratio (ecosite/Hugo) |",
         "|---:|---:|---:|---:|---:|---:|---:|"]
floors = []
for row in rows:
    n, jpath, eco_kib, hugo_kib, floor = row.split(" ")
    if floor != "-": floors.append(f"{int(n):,} pages {float(floor):.2f} s")
    med = {r["command"]: r["median"] for r in json.load(open(jpath))["results"]}
    eco_t, hugo_t = med.get("ecosite"), med.get("hugo")
    eco_m = None if eco_kib == "-" else int(eco_kib) / 1024
    hugo_m = int(hugo_kib) / 1024
    speed = hugo_t / eco_t if eco_t and hugo_t else None
    mem = eco_m / hugo_m if eco_m is not None and hugo_m else None
    lines.append(f"| {int(n):,} | {fmt(eco_t)} | {fmt(hugo_t)} | {fmt(speed)} | {fmt(eco_m, 0)} | {fmt(hugo_m, 0)} | {fmt(mem)} |")
lines += ["", f"Wall: median of {runs} hyperfine runs after 1 warm-up, both commands in the same run. "
          f"Peak memory: median over {mem_runs} runs of the whole process's max RSS (`/usr/bin/time -f %M`). "
          f"Hugo {hugo_ver}, {cores} cores. Speed ratio > 1 means ecosite is faster; memory ratio < 1 means it uses less."]
if floors:
    lines += ["", "Write floor (replacing ecosite's output tree with `rm -rf` + `cp -r`, median of "
              f"{mem_runs}): " + "; ".join(floors) + "."]
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text, end="")
PY
echo
echo "results written to $RESULTS"
