#!/usr/bin/env bash
# Runs every test (unit + integration against a private Azurite) and ends with "N passed, N failed[, N skipped]".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ ! -f node_modules/azurite/package.json ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "test: installing Azurite (npm ci)…"
    npm ci --no-audit --no-fund --loglevel=error || { echo "test: npm ci failed"; exit 1; }
  else
    echo "test: npm not found: the Azurite-backed tests will be skipped (under CI=true they fail)"
  fi
fi

echo "test: building…"
dotnet build Functions.sln -c Release --nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# Fuzz exploration (FUZZ_SECONDS set): show each test's output, where the fuzzers print their seeds.
extra=()
if [ -n "${FUZZ_SECONDS:-}" ]; then extra=(--logger "console;verbosity=detailed"); fi
dotnet test Functions.sln -c Release --no-build --nologo --results-directory "$root/TestResults" --blame-hang-timeout 10m ${extra[@]+"${extra[@]}"} "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 16, Skipped: 0, Total: 16").
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    line=$0; gsub(/,/, "", line); n=split(line, w, " ");
    for (i=1;i<=n;i++) { if (w[i]=="Failed:") f+=w[i+1]; if (w[i]=="Passed:") p+=w[i+1]; if (w[i]=="Skipped:") s+=w[i+1]; }
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
