#!/usr/bin/env bash
# Benchmark ecosite against Hugo and Zola on the shared corpus of Chinese work summaries.
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
#   SKIP_ECOSITE=1    measure the others only (no build, no ecosite runs; ecosite columns show "–")
#   ECOSITE=FILE      ecosite binary; default <repo>/target/release/ecosite
#   ZOLA=FILE         Zola 0.22 binary, built from its source repository (see bench/README.md);
#                     unset or not executable: Zola is skipped and its columns show "–"
#   SKIP_PREVIEW=1    do not measure preview latency (bench/preview_latency.py on the largest N)
#   PREVIEW_RUNS=N    saves per tool for the preview latency (default 9)
#   ZOLA_DEBOUNCE=MS  `zola serve --debounce MS` for the preview latency (default: Zola's own, 1000 ms)
#
# Results: prints Markdown tables and writes them to $WORK/results.md (not committed).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
RUNS="${RUNS:-5}"
MEM_RUNS="${MEM_RUNS:-3}"
SKIP_BUILD="${SKIP_BUILD:-0}"
SKIP_ECOSITE="${SKIP_ECOSITE:-0}"
GEN_CORPUS="${GEN_CORPUS:-$REPO/../shared/bench/gen_corpus.py}"
ECOSITE="${ECOSITE:-$REPO/target/release/ecosite}"
ZOLA="${ZOLA:-}"
SKIP_PREVIEW="${SKIP_PREVIEW:-0}"
PREVIEW_RUNS="${PREVIEW_RUNS:-9}"
ZOLA_DEBOUNCE="${ZOLA_DEBOUNCE:-0}"

case "${1:-}" in -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
if [ "$#" -gt 0 ]; then PAGES=("$@"); else PAGES=(1000 10000); fi
for n in "${PAGES[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/run.sh [PAGES...]  (PAGES: positive integers, got '$n')" >&2; exit 2; }
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive integer" >&2; exit 2; }
[[ "$MEM_RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "MEM_RUNS must be a positive integer" >&2; exit 2; }
[[ "$PREVIEW_RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "PREVIEW_RUNS must be a positive integer" >&2; exit 2; }
[[ "$ZOLA_DEBOUNCE" =~ ^[0-9]+$ ]] || { echo "ZOLA_DEBOUNCE must be a number of milliseconds" >&2; exit 2; }
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

# --- zola binary (optional) --------------------------------------------------------------------------
HAVE_ZOLA=0
if [ -z "$ZOLA" ]; then
  log "skipping Zola: ZOLA is not set (build Zola 0.22 from source and pass ZOLA=/path/to/zola, see bench/README.md)"
elif [ ! -f "$ZOLA" ] || [ ! -x "$ZOLA" ]; then
  log "skipping Zola: ZOLA=$ZOLA is not an executable file"
else
  ZOLA="$(cd "$(dirname "$ZOLA")" && pwd)/$(basename "$ZOLA")"
  HAVE_ZOLA=1
  log "Zola: $ZOLA ($("$ZOLA" --version))"
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
  zola_cmd="$(printf '%q --root %q build --output-dir %q --force' "$ZOLA" "$C/zola" "$C/zola-out")"

  # sanity check: one build each, then count the pages written
  log "N=$n: sanity build"
  if [ "$SKIP_ECOSITE" != 1 ]; then
    eval "$eco_cmd" >&2
    echo "ecosite: $(count_index "$C/eco-out") index.html files in $C/eco-out (expect > $n: summaries + area lists + home + more)" >&2
  fi
  eval "$hugo_cmd" >&2
  echo "hugo:    $(count_index "$C/hugo-out") index.html files in $C/hugo-out (expect $((n + 9)): pages + 8 area lists + home)" >&2
  if [ "$HAVE_ZOLA" = 1 ]; then
    eval "$zola_cmd" >/dev/null
    echo "zola:    $(count_index "$C/zola-out") index.html files in $C/zola-out (expect $((n + 9)): pages + 8 area lists + home)" >&2
  fi

  # wall time: all commands in the same hyperfine run, the output folder left from the previous run
  log "N=$n: hyperfine, rebuild over the previous output (1 warm-up, $RUNS runs)"
  J="$WORK/hyperfine-$n.json"
  hf=(hyperfine -w 1 -r "$RUNS" --export-json "$J")
  [ "$SKIP_ECOSITE" = 1 ] || hf+=(-n ecosite "$eco_cmd")
  hf+=(-n hugo "$hugo_cmd")
  if [ "$HAVE_ZOLA" = 1 ]; then hf+=(-n zola "$zola_cmd"); fi
  "${hf[@]}" >&2

  # wall time from an empty output folder: a second, separate hyperfine run; each command gets its own
  # --prepare that removes its output folder (not timed)
  log "N=$n: hyperfine, build into an empty output folder (1 warm-up, $RUNS runs)"
  JE="$WORK/hyperfine-empty-$n.json"
  hf=(hyperfine -w 1 -r "$RUNS" --export-json "$JE")
  names=()
  if [ "$SKIP_ECOSITE" != 1 ]; then
    hf+=(--prepare "$(printf 'rm -rf %q' "$C/eco-out")"); names+=(-n ecosite "$eco_cmd")
  fi
  hf+=(--prepare "$(printf 'rm -rf %q' "$C/hugo-out")"); names+=(-n hugo "$hugo_cmd")
  if [ "$HAVE_ZOLA" = 1 ]; then
    hf+=(--prepare "$(printf 'rm -rf %q' "$C/zola-out")"); names+=(-n zola "$zola_cmd")
  fi
  "${hf[@]}" "${names[@]}" >&2

  # peak memory: max RSS of the whole process, MEM_RUNS runs each, alternating; median reported
  log "N=$n: peak memory (/usr/bin/time -f %M, $MEM_RUNS runs each, median)"
  M="$WORK/mem-$n"; rm -rf "$M"; mkdir -p "$M"
  for i in $(seq 1 "$MEM_RUNS"); do
    if [ "$SKIP_ECOSITE" != 1 ]; then
      /usr/bin/time -f '%M' -o "$M/ecosite.$i" "$ECOSITE" build --root "$C/ecosite" --out "$C/eco-out" >/dev/null
    fi
    /usr/bin/time -f '%M' -o "$M/hugo.$i" hugo --quiet -s "$C/hugo" -d "$C/hugo-out" >/dev/null
    if [ "$HAVE_ZOLA" = 1 ]; then
      /usr/bin/time -f '%M' -o "$M/zola.$i" "$ZOLA" --root "$C/zola" build --output-dir "$C/zola-out" --force >/dev/null
    fi
  done
  eco_kib="-"
  if [ "$SKIP_ECOSITE" != 1 ]; then
    eco_kib="$(median_kib "$M"/ecosite.*)"
    echo "ecosite max RSS KiB: $(cat "$M"/ecosite.* | tr '\n' ' ')" >&2
  fi
  hugo_kib="$(median_kib "$M"/hugo.*)"
  echo "hugo    max RSS KiB: $(cat "$M"/hugo.* | tr '\n' ' ')" >&2
  zola_kib="-"
  if [ "$HAVE_ZOLA" = 1 ]; then
    zola_kib="$(median_kib "$M"/zola.*)"
    echo "zola    max RSS KiB: $(cat "$M"/zola.* | tr '\n' ' ')" >&2
  fi
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
  rows+=("$n $J $JE $eco_kib $hugo_kib $zola_kib $floor")
done

# --- preview latency on the largest N ----------------------------------------------------------------
PJ="-"
if [ "$SKIP_PREVIEW" = 1 ]; then
  log "SKIP_PREVIEW=1: no preview latency"
else
  big="$(printf '%s\n' "${PAGES[@]}" | sort -n | tail -1)"
  tools="hugo"; [ "$SKIP_ECOSITE" = 1 ] || tools="ecosite,$tools"
  if [ "$HAVE_ZOLA" = 1 ]; then tools="$tools,zola"; fi
  log "N=$big: preview latency, save → page shows the edit ($tools, $PREVIEW_RUNS saves each)"
  PJ="$WORK/preview-$big.json"
  python3 "$SCRIPT_DIR/preview_latency.py" --corpus "$WORK/corpus-$big" --tools "$tools" --runs "$PREVIEW_RUNS" \
    --pages "$big" --ecosite "$ECOSITE" --zola "$ZOLA" --zola-debounce "$ZOLA_DEBOUNCE" --json "$PJ" >&2
fi

# --- tables ------------------------------------------------------------------------------------------
RESULTS="$WORK/results.md"
zola_ver="-"; [ "$HAVE_ZOLA" != 1 ] || zola_ver="$("$ZOLA" --version | awk '{print $2}')"
python3 - "$RESULTS" "$RUNS" "$MEM_RUNS" "$(hugo version | awk '{print $2}')" "$zola_ver" "$(nproc)" "$PJ" "${rows[@]}" <<'PY'
import json, sys
out, runs, mem_runs, hugo_ver, zola_ver, cores, pjson, rows = sys.argv[1:8] + [sys.argv[8:]]
def fmt(x, d=2): return "–" if x is None else f"{x:.{d}f}"
def medians(path): return {r["command"]: r["median"] for r in json.load(open(path))["results"]}
def mib(kib): return None if kib == "-" else int(kib) / 1024
def ratio(m):
    eco, others = m.get("ecosite"), [m[t] for t in ("hugo", "zola") if m.get(t)]
    return eco / min(others) if eco and others else None
head = "| pages | ecosite (s) | Hugo (s) | Zola (s) | ecosite ÷ faster of Hugo, Zola |"
warm = [head + " ecosite peak MiB | Hugo peak MiB | Zola peak MiB |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]
empty = [head, "|---:|---:|---:|---:|---:|"]
floors = []
for row in rows:
    n, jpath, jempty, eco_kib, hugo_kib, zola_kib, floor = row.split(" ")
    if floor != "-": floors.append(f"{int(n):,} pages {float(floor):.2f} s")
    w, e = medians(jpath), medians(jempty)
    times = lambda m: " | ".join(fmt(m.get(t)) for t in ("ecosite", "hugo", "zola"))
    warm.append(f"| {int(n):,} | {times(w)} | {fmt(ratio(w))} | "
                + " | ".join(fmt(mib(k), 0) for k in (eco_kib, hugo_kib, zola_kib)) + " |")
    empty.append(f"| {int(n):,} | {times(e)} | {fmt(ratio(e))} |")
versions = f"Hugo {hugo_ver}, " + (f"Zola {zola_ver}" if zola_ver != "-" else "Zola not measured (no ZOLA binary)") + f", {cores} cores."
lines = ["### Build over the previous output", ""] + warm + [
    "", f"Wall: median of {runs} hyperfine runs after 1 warm-up, all commands in the same run, each output folder "
    f"left from the previous run. Peak memory: median over {mem_runs} runs of the whole process's max RSS "
    f"(`/usr/bin/time -f %M`). {versions} The ratio is ecosite's median time divided by the faster of Hugo and "
    "Zola: below 1 means ecosite is faster; the goal is at most 0.50.",
    "", "### Build into an empty output folder", ""] + empty + [
    "", f"Wall: a second hyperfine run, median of {runs} runs after 1 warm-up; before each run, `--prepare` removes "
    "the command's output folder (not timed)."]
if floors:
    lines += ["", "Write floor (replacing ecosite's output tree with `rm -rf` + `cp -r`, median of "
              f"{mem_runs}): " + "; ".join(floors) + "."]
if pjson != "-":
    res = json.load(open(pjson))
    names = {"ecosite": "ecosite serve", "hugo": "hugo server", "zola": "zola serve"}
    lines += ["", "### Preview: save → page shows the edit", "",
              "| tool | pages | saves | median (ms) | min (ms) | max (ms) |", "|---|---:|---:|---:|---:|---:|"]
    for r in res:
        if r["tool"] == "zola":
            d = r.get("debounce_ms")
            names["zola"] = f"zola serve (--debounce {d})" if d else "zola serve (default --debounce, 1000 ms)"
    lines += [f"| {names[r['tool']]} | {r['pages']:,} | {r['runs']} | {r['median_ms']:.0f} | {r['min_ms']:.0f} "
              f"| {r['max_ms']:.0f} |" for r in res]
    lines += ["", "`bench/preview_latency.py`: the time from appending a sentence to one summary's file to the first "
              "HTTP response of that summary's page (polled every ~5 ms) that contains it."]
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text, end="")
PY
echo
echo "results written to $RESULTS"
