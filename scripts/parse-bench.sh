#!/usr/bin/env bash
# Parsing speed, side by side in one run: Tapewatch's Farside parser (in process, .NET) and pandas.read_html (in process,
# Python, lxml) on the SAME page files, alternating rounds so that both see the same machine; prints medians, allocation
# per row and the ratio pandas / Tapewatch. See docs/performance.md "Parsing speed".
#
#   scripts/parse-bench.sh                 # 3 rounds (about a minute and a half)
#   ROUNDS=5 SAMPLES=400 scripts/parse-bench.sh
#   scripts/parse-bench.sh my-page.html    # your own page(s) instead of the built-in set
#
# Pages (written by `Tapewatch.Benchmarks parse-pages` into artifacts/parse-bench/): the real Farside page of tests/data
# (14 rows), the real 2024–2026 history of tests/data/farside/farside_btc_etf_flows__daily.csv in Farside's markup (the
# newest 230 rows, the all-data page's size, and all 579), and the benchmark's generated 700-row page.
# Installs nothing: needs the .NET SDK (global.json) and Python 3 with pandas and lxml (Debian: apt-get install -y
# python3-pandas python3-lxml).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rounds="${ROUNDS:-3}"
samples="${SAMPLES:-200}"
py_samples="${PY_SAMPLES:-15}"

# A Python that has pandas and lxml: $PYTHON, else python3 on the PATH, else Debian's /usr/bin/python3.
python=""
for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import pandas, lxml" >/dev/null 2>&1; then python="$candidate"; break; fi
done
if [ -z "$python" ]; then
  echo "parse-bench: no python3 with pandas and lxml found. On Debian: apt-get install -y python3-pandas python3-lxml (or set PYTHON=...)." >&2
  exit 1
fi

echo "parse-bench: building tests/Tapewatch.Benchmarks (Release)…"
dotnet build tests/Tapewatch.Benchmarks -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
bench=(dotnet "tests/Tapewatch.Benchmarks/bin/Release/net10.0/Tapewatch.Benchmarks.dll")

out="$root/artifacts/parse-bench"
mkdir -p "$out"
if [ "$#" -gt 0 ]; then
  pages=("$@")
else
  mapfile -t pages < <("${bench[@]}" parse-pages "$out")
fi

results="$out/results.tsv"
: > "$results"
for round in $(seq 1 "$rounds"); do
  echo "parse-bench: round $round of $rounds"
  # .NET: one process, each page parsed $samples times after a warm-up; the AngleSharp DOM reader (the parser before) too.
  "${bench[@]}" parse-timing --samples "$samples" --angle-sharp "${pages[@]}" | sed "s/^/$round\tdotnet\t/" >> "$results"
  # pandas.read_html, in process: timeit, one call per sample, after a warm-up call.
  "$python" - "$py_samples" "${pages[@]}" <<'PY' | sed "s/^/$round\tpandas\t/" >> "$results"
import io, statistics, sys, timeit
import pandas as pd
samples = int(sys.argv[1])
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        html = f.read()
    tables = pd.read_html(io.StringIO(html))
    times = timeit.Timer(lambda: pd.read_html(io.StringIO(html))).repeat(repeat=samples, number=1)
    print(f"{path}\tpandas.read_html\t{statistics.median(times) * 1000:.3f}\t{min(times) * 1000:.3f}\t-\t{max(len(t) for t in tables)}")
PY
done

"$python" - "$results" "$rounds" <<'PY'
import collections, os, statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
by = collections.defaultdict(list)   # (page, reader) -> [(round, median, alloc, rows)]
for rnd, _, page, reader, median, minimum, alloc, nrows in rows:
    by[(page, reader)].append((int(rnd), float(median), alloc, nrows))
pages = list(dict.fromkeys(r[2] for r in rows))
print()
print(f"Farside parser vs pandas.read_html, in process, same files, {sys.argv[2]} alternating rounds (median of the rounds' medians)")
print(f"{'page':<34} {'KB':>6} {'rows':>5} {'Tapewatch ms':>13} {'B/parse':>10} {'B/row':>7} {'AngleSharp ms':>14} {'pandas ms':>10} {'pandas/Tapewatch':>17}")
for page in pages:
    fast, dom, pd_ = by[(page, "scanner")], by[(page, "angle-sharp")], by[(page, "pandas.read_html")]
    if not fast or not pd_:
        continue
    m_fast = statistics.median(x[1] for x in fast)
    m_dom = statistics.median(x[1] for x in dom) if dom else float("nan")
    m_pd = statistics.median(x[1] for x in pd_)
    alloc = statistics.median(int(x[2]) for x in fast)
    nrows = int(fast[0][3])
    # the ratio pandas / Tapewatch of each round (same round = same machine state), then their median
    ratios = [p[1] / f[1] for f in fast for p in pd_ if p[0] == f[0]]
    print(f"{os.path.basename(page):<34} {os.path.getsize(page) / 1024:>6.0f} {nrows:>5} {m_fast:>13.2f} {alloc:>10,} {alloc / max(nrows, 1):>7,.0f} {m_dom:>14.2f} {m_pd:>10.1f} {statistics.median(ratios):>16.1f}x")
print()
print(f"raw figures: {sys.argv[1]}")
PY
