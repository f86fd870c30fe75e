#!/usr/bin/env bash
# Mutation testing (Stryker.NET, the local tool in .config/dotnet-tools.json) of one area of Tapewatch.Core against the
# unit tests (tests/Tapewatch.Tests), with a sanity check that the run is real.
#
#   scripts/mutation-test.sh rules      # rules engine, conditions, backtest, trading calendar
#   scripts/mutation-test.sh alerts     # alert lifecycle, alert model, silences
#   scripts/mutation-test.sh parsers    # Farside/CSV/SoSoValue, venue, CFTC, closes and CoinShares parsers
#   scripts/mutation-test.sh all        # the three, one after the other (default)
#   STRYKER_CONCURRENCY=2 scripts/mutation-test.sh rules   # default 1 (from the area's config)
#   STRYKER_ARGS='--test-case-filter "FullyQualifiedName!~Fuzz.ParserFuzzTests"' scripts/mutation-test.sh rules
#                                       # extra Stryker options, e.g. a filter that keeps the property tests (slow)
#
# Each test session of a run skips enumerating theory data at discovery (TAPEWATCH_MUTATION_RUN=1: xunit.runner.mutation.json
# in tests/Tapewatch.Tests): the same tests, seconds less per mutant.
# Tests left out of mutation runs (test-case-filter in the configs): the parser fuzz sweeps (ParserFuzzTests, EdgeSweepTests:
# thousands of inputs per parser, ~90 s per run, and oracles that only ask "no crash, no number from nowhere"), the Farside
# scanner's differential theory (the scanner against AngleSharp on generated 800 KB pages: ~24 s per session, and the scanner
# is not in the parsers area) and the generated-case properties (Rules/Properties: ~9 s more per mutant, a rules run of 2+ h instead of ~35 min). Both still run
# in CI; the scores here are those of the example tests and the fuzz corpus, a lower bound.
# Each area has its Stryker config in tests/stryker/<area>.json (files mutated, test filter, thresholds). Reports (JSON +
# HTML) and the console log go to StrykerOutput/<area>/ (git-ignored), emptied first so that an old report can never be
# read as the result of this run.
#
# A score counts only if deliberately broken rules are reported killed: after each run the script reads the JSON report
# and requires every mutant of the area's sentinel lines (known comparisons, below) to be Killed. A run in which coverage
# capture failed (everything Survived or NoCoverage) fails here instead of printing a score.
#
# Exit code: 0 = every area ran, passed its sanity check and reached its break threshold; 1 = some score below its
# threshold (thresholds.break in the config); 2 = Stryker failed or a sanity check failed. Needs jq.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

usage() { echo "usage: scripts/mutation-test.sh [rules|alerts|parsers|all]" >&2; exit 64; }
case "${1:-all}" in
  rules | alerts | parsers) areas=("$1") ;;
  all) areas=(rules alerts parsers) ;;
  *) usage ;;
esac
command -v jq >/dev/null 2>&1 || { echo "mutation-test: needs jq (apt-get install -y jq)" >&2; exit 2; }

# Sentinels: "<file suffix>|<mutator or *>|<text of the line>". Every tested mutant of that mutator (* = any) on that
# (unique) line must be Killed, and there must be at least one. They are rules a real test suite cannot miss: if one is not
# killed, either the tests lost that rule or Stryker did not see the tests run (coverage capture failed).
sentinels() {
  case "$1" in
    rules)
      # Rebuild trigger: each session >= +200 (>= -> > and >= -> <); Caution trigger: each session < 0 (< -> <= and < -> >).
      echo 'Rules/FlowConditions.cs|Equality mutation|t => t >= o.MinDailyFlowUsdM, o.StreakSessions, "green"'
      echo 'Rules/FlowConditions.cs|Equality mutation|t => t < o.MaxDailyFlowUsdM, o.StreakSessions, "red"'
      ;;
    alerts)
      # Resolution hysteresis: an alert resolves after ResolveAfterSessions final sessions without it.
      echo 'Alerts/AlertLifecycle.cs|Equality mutation|if (absent >= _o.ResolveAfterSessions)'
      # A silence is active from its start (inclusive) to its end (exclusive).
      echo 'Alerts/Silence.cs|Equality mutation|public bool IsActive(DateTimeOffset now) => StartsUtc <= now && now < EndsUtc;'
      ;;
    parsers)
      # Farside: "(12.3)" is -12.3 and "12.3" is +12.3.
      echo 'Flows/FarsideHtmlParser.cs|*|value = negative ? -d : d;'
      # CFTC: open interest in BTC = contracts x BTC per contract (5 for Bitcoin, 0.1 for Micro Bitcoin).
      echo 'Derivatives/CftcCot.cs|Arithmetic mutation|var totalBtc = contracts.Sum(kv => kv.Value * BtcPerContract[kv.Key]);'
      ;;
  esac
}

# Prints "<status> <count>" lines for the report.
counts() { jq -r '[.files[].mutants[].status] | group_by(.) | map("\(.[0]) \(length)") | .[]' "$1"; }

count_of() { awk -v s="$2" '$1 == s { print $2; found = 1 } END { if (!found) print 0 }' <<<"$1"; }

# Checks the sentinels of an area against its report; prints one line per sentinel; returns non-zero on any failure.
check_sentinels() {
  local area="$1" report="$2" failed=0 file mutator text lines line mutants total killed
  while IFS='|' read -r file mutator text; do
    [ -n "$file" ] || continue
    lines="$(jq -r --arg f "$file" '[.files | to_entries[] | select(.key | endswith($f))] | if length == 1 then .[0].value.source else empty end' "$report" | grep -nF -- "$text" | cut -d: -f1)"
    if [ -z "$lines" ] || [ "$(wc -l <<<"$lines")" -ne 1 ]; then
      echo "  SANITY FAIL $area: the line '$text' is not exactly once in $file of the report (source changed? update the sentinel)"
      failed=1
      continue
    fi

    line="$lines"
    mutants="$(jq -r --arg f "$file" --arg m "$mutator" --argjson l "$line" '
      .files | to_entries[] | select(.key | endswith($f)) | .value.mutants[]
      | select(.location.start.line == $l and ($m == "*" or .mutatorName == $m) and .status != "CompileError" and .status != "Ignored")
      | "\(.status)\t#\(.id) \(.replacement // .description // "")"' "$report")"
    total="$(grep -c . <<<"$mutants")"
    killed="$(grep -c '^Killed	' <<<"$mutants")"
    if [ "$total" -eq 0 ]; then
      echo "  SANITY FAIL $area: no '$mutator' mutant on $file:$line ($text)"
      failed=1
    elif [ "$killed" -ne "$total" ]; then
      echo "  SANITY FAIL $area: $((total - killed)) of $total '$mutator' mutants on $file:$line are not Killed ($text):"
      sed 's/^/      /' <<<"$mutants"
      failed=1
    else
      echo "  sanity ok: $killed/$total '$mutator' mutants killed on $file:$line ($text)"
    fi
  done < <(sentinels "$area")
  return "$failed"
}

cd "$root" && dotnet tool restore >/dev/null || { echo "mutation-test: dotnet tool restore failed" >&2; exit 2; }

status=0
summary=()
for area in "${areas[@]}"; do
  config="$root/tests/stryker/$area.json"
  out="$root/StrykerOutput/$area"
  [ -f "$config" ] || { echo "mutation-test: no config $config" >&2; exit 2; }
  rm -rf "$out" && mkdir -p "$out"
  args=(stryker --config-file "../stryker/$area.json" --output "$out" --skip-version-check)
  [ -n "${STRYKER_CONCURRENCY:-}" ] && args+=(--concurrency "$STRYKER_CONCURRENCY")
  if [ -n "${STRYKER_ARGS:-}" ]; then eval "extra=($STRYKER_ARGS)"; args+=("${extra[@]}"); fi

  echo "mutation-test: $area — dotnet ${args[*]} (log: StrykerOutput/$area/stryker.log)"
  started=$SECONDS
  (cd "$root/tests/Tapewatch.Tests" && TAPEWATCH_MUTATION_RUN=1 dotnet "${args[@]}") >"$out/stryker.log" 2>&1
  code=$?
  elapsed=$((SECONDS - started))
  took="$((elapsed / 60))m$(printf '%02d' $((elapsed % 60)))s"

  report="$out/reports/mutation-report.json"
  if [ ! -s "$report" ]; then
    echo "  FAIL $area: Stryker wrote no report (exit $code after $took); last lines of the log:"
    tail -n 25 "$out/stryker.log" | sed 's/^/    /'
    summary+=("$area: FAILED (no report)")
    status=2
    continue
  fi

  c="$(counts "$report")"
  killed=$(count_of "$c" Killed); survived=$(count_of "$c" Survived); timeout=$(count_of "$c" Timeout)
  nocov=$(count_of "$c" NoCoverage); ignored=$(count_of "$c" Ignored); compile=$(count_of "$c" CompileError)
  detected=$((killed + timeout)); valid=$((detected + survived + nocov))
  score="$(awk -v d="$detected" -v v="$valid" 'BEGIN { if (v == 0) print "n/a"; else printf "%.2f", 100 * d / v }')"
  min="$(jq -r '."stryker-config".thresholds.break // 0' "$config")"
  line="$area: $score % — killed $killed, survived $survived, timeout $timeout, no coverage $nocov (ignored $ignored, compile errors $compile; $valid mutants scored) in $took"

  if [ "$valid" -eq 0 ] || [ "$killed" -eq 0 ]; then
    echo "  SANITY FAIL $area: nothing was killed ($line) — the tests did not run against the mutants"
    summary+=("$area: INVALID RUN ($line)")
    status=2
    continue
  fi

  if ! check_sentinels "$area" "$report"; then
    summary+=("$area: INVALID RUN, sentinel mutants not killed (score not valid: $line)")
    status=2
    continue
  fi

  if awk -v s="$score" -v m="$min" 'BEGIN { exit !(s + 0 < m + 0) }'; then
    summary+=("$line — BELOW the break threshold $min %")
    [ "$status" -eq 0 ] && status=1
  elif [ "$code" -ne 0 ]; then
    echo "  FAIL $area: Stryker exited $code although the score is above the threshold; see StrykerOutput/$area/stryker.log"
    summary+=("$area: FAILED (Stryker exit $code)")
    status=2
  else
    summary+=("$line")
  fi
  echo "  report: StrykerOutput/$area/reports/mutation-report.html"
done

echo
printf '%s\n' "${summary[@]}"
exit "$status"
