#!/usr/bin/env bash
# Charts benchmark: builds a site of N indicators (default 1000; four quarters and five years of
# history each, every one with its chart, sparkline, page and CSV) and the same site without
# indicators, side by side with hyperfine. The difference, divided by N, is the cost of one
# indicator with its charts (an upper bound of the per-chart time).
#
#   bench/indicators.sh [N]        env: BENCH_DIR (default mktemp -d), RUNS (default 10), SKIP_BUILD=1
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
N="${1:-1000}"
RUNS="${RUNS:-10}"
WORK="${BENCH_DIR:-$(mktemp -d)}"
command -v hyperfine >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null; }
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$REPO" && cargo build --release)
ECOSITE="$REPO/target/release/ecosite"
rm -rf "$WORK/ind-$N" "$WORK/ind-0"
python3 "$HERE/gen_indicators.py" --indicators "$N" --out "$WORK/ind-$N"
python3 "$HERE/gen_indicators.py" --indicators "$N" --out "$WORK/ind-0" --empty
"$ECOSITE" build --root "$WORK/ind-$N" --out "$WORK/out-$N"
echo "charts written: $(grep -l '<svg' -r "$WORK/out-$N/targets" | wc -l) pages with an inline chart"
hyperfine -w 2 -r "$RUNS" -N --export-json "$WORK/indicators.json" \
  -n "with $N indicators" "$ECOSITE build --root $WORK/ind-$N --out $WORK/out-$N" \
  -n "without indicators" "$ECOSITE build --root $WORK/ind-0 --out $WORK/out-0"
python3 - "$WORK/indicators.json" "$N" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]; n = int(sys.argv[2])
with_, without = r[0]["median"], r[1]["median"]
print(f"\n{n} indicators: median {with_:.3f} s for the whole build; "
      f"{(with_ - without) / n * 1000:.2f} ms per indicator with its chart, sparkline, page and CSV "
      f"(site without indicators: {without:.3f} s)")
PY
