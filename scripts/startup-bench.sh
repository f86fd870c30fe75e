#!/usr/bin/env bash
# Start-up, side by side in one run: two whole `./tapewatch` processes that need no storage, as built before the
# start-up work and as built now, started alternately (before, after, after, before, …) so that both see the same
# machine; prints the medians of wall and CPU time (user + system) and the ratios after / before. See
# docs/performance.md "Start-up".
#
#   scripts/startup-bench.sh                      # 11 rounds against main before the start-up work (d7fcc69)
#   ROUNDS=21 scripts/startup-bench.sh
#   scripts/startup-bench.sh --before main        # any git ref, built into a temporary directory with its own ./tapewatch
#   scripts/startup-bench.sh --before build       # these sources, built the old way (dotnet build; dotnet bin/…/Tapewatch.Local.dll)
#   scripts/startup-bench.sh --before DIR         # a tree whose ./tapewatch is already built (e.g. a git archive of a ref)
#
# The commands: `backtest --flows-csv tests/data/farside/farside_btc_etf_flows__daily.csv --json` (579 sessions) and
# `ingest etf-flows --file tests/data/farside/farside_btc_2026-07-23_trimmed.html --dry-run`. Before timing, each is run
# once by both builds and their standard output and exit codes are compared (a difference stops the script).
# Times come from bash's `time` (the children's wall clock, user and system time, in milliseconds). Needs the .NET SDK,
# git and awk; installs nothing (the "before" tree shares this repository's node_modules).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rounds="${ROUNDS:-11}"
before_ref="d7fcc69"   # main before the start-up work was merged (issue #17 item 2)
while [ "$#" -gt 0 ]; do
  case "$1" in
    --before) before_ref="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "usage: scripts/startup-bench.sh [--before REF|build] [--rounds N]" >&2; exit 2 ;;
  esac
done

out="$root/artifacts/startup-bench"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# "before": a git ref with its own ./tapewatch (built as that ref builds it), or these sources built the old way.
if [ -x "$before_ref/tapewatch" ]; then
  before_dir="$(cd "$before_ref" && pwd)"
  echo "startup-bench: before = $before_dir/tapewatch (building it if a source changed)…"
  "$before_dir/tapewatch" --version >/dev/null
  before=("$before_dir/tapewatch")
  before_label="./tapewatch of $before_dir"
elif [ "$before_ref" = "build" ]; then
  echo "startup-bench: building these sources the old way (dotnet build, Release)…"
  dotnet build functions/Tapewatch.Local/Tapewatch.Local.csproj -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
  before=(dotnet "$root/functions/Tapewatch.Local/bin/Release/net10.0/Tapewatch.Local.dll")
  before_label="dotnet build of these sources"
else
  commit="$(git rev-parse --short "$before_ref^{commit}")"
  echo "startup-bench: building $before_ref ($commit) in a temporary directory with its own ./tapewatch…"
  mkdir -p "$work/before"
  git archive "$commit" | tar -x -C "$work/before"
  [ -d "$root/node_modules" ] && ln -s "$root/node_modules" "$work/before/node_modules"
  "$work/before/tapewatch" --version >/dev/null
  before=("$work/before/tapewatch")
  before_label="./tapewatch of $before_ref ($commit)"
fi
echo "startup-bench: building this tree's ./tapewatch (if a source changed)…"
./tapewatch --version >/dev/null
after=("$root/tapewatch")

csv="$root/tests/data/farside/farside_btc_etf_flows__daily.csv"
html="$root/tests/data/farside/farside_btc_2026-07-23_trimmed.html"
names=("backtest --flows-csv (579 sessions) --json" "ingest etf-flows --file (Farside page) --dry-run")
run() { # run INDEX LAUNCHER… : command INDEX with a build's launcher
  local i="$1"
  shift
  case "$i" in
    0) "$@" backtest --flows-csv "$csv" --json ;;
    1) "$@" ingest etf-flows --file "$html" --dry-run ;;
  esac
}

# Same bytes on stdout and the same exit code, before and after (also the warm-up: files in the page cache).
for i in 0 1; do
  set +e
  run "$i" "${before[@]}" >"$work/before.$i.out" 2>/dev/null; before_rc=$?
  run "$i" "${after[@]}" >"$work/after.$i.out" 2>/dev/null; after_rc=$?
  set -e
  if [ "$before_rc" != "$after_rc" ] || ! cmp -s "$work/before.$i.out" "$work/after.$i.out"; then
    echo "startup-bench: ${names[$i]}: the output differs (exit $before_rc before, $after_rc after)" >&2
    exit 1
  fi
done
echo "startup-bench: both builds print the same bytes and exit codes; timing $rounds rounds…"

load_start="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
results="$out/results.tsv"
: >"$results"
TIMEFORMAT='%3R %3U %3S'
measure() { # label round command… → one line: label round wall cpu
  local label="$1" round="$2" t
  shift 2
  t="$( { time "$@" >/dev/null 2>&1; } 2>&1 )"
  awk -v l="$label" -v r="$round" '{ printf "%s\t%s\t%.3f\t%.3f\n", l, r, $1, $2 + $3 }' <<<"$t" >>"$results"
}
for round in $(seq 1 "$rounds"); do
  for i in 0 1; do
    if [ $((round % 2)) -eq 1 ]; then
      measure "before.$i" "$round" run "$i" "${before[@]}"
      measure "after.$i" "$round" run "$i" "${after[@]}"
    else
      measure "after.$i" "$round" run "$i" "${after[@]}"
      measure "before.$i" "$round" run "$i" "${before[@]}"
    fi
  done
done
load_end="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

echo
echo "Start-up, whole processes, $rounds alternating rounds; before = $before_label, after = ./tapewatch of this tree"
echo "Machine: $(getconf _NPROCESSORS_ONLN) cores, load average $load_start at the start, $load_end at the end; $(dotnet --version) SDK"
printf '%-50s %12s %12s %12s %12s %12s %12s\n' "command (medians)" "before wall" "before cpu" "after wall" "after cpu" "after/before" "after/before"
printf '%-50s %12s %12s %12s %12s %12s %12s\n' "" "s" "s" "s" "s" "wall" "cpu"
for i in 0 1; do
  # Medians of each column, and the median of the per-round ratios (pairs run back to back).
  awk -F'\t' -v i="$i" -v name="${names[$i]}" '
    function median(a, n,   j, k, t) {
      for (j = 2; j <= n; j++) { t = a[j]; for (k = j - 1; k >= 1 && a[k] > t; k--) a[k + 1] = a[k]; a[k + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $1 == "before." i { bw[$2] = $3; bc[$2] = $4 }
    $1 == "after." i  { aw[$2] = $3; ac[$2] = $4 }
    END {
      n = 0
      for (r in bw) { n++; w1[n] = bw[r]; c1[n] = bc[r]; w2[n] = aw[r]; c2[n] = ac[r]; rw[n] = aw[r] / bw[r]; rc[n] = ac[r] / bc[r] }
      printf "%-50s %12.3f %12.3f %12.3f %12.3f %12.2f %12.2f\n", name, median(w1, n), median(c1, n), median(w2, n), median(c2, n), median(rw, n), median(rc, n)
    }' "$results"
done
echo
echo "(ratios: median of the per-round ratios; raw figures in ${results#"$root"/})"
