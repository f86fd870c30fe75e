#!/usr/bin/env bash
# Load test, on this machine only (loopback): GET /api/regime from the local host (over a private Azurite seeded with the
# flows CSV, evaluated through POST /api/evaluations) beside two yardsticks serving the same bytes: nginx (a static file)
# and the floor of ASP.NET Core here (a minimal API on the same Kestrel answering with the bytes from memory:
# `Tapewatch.Benchmarks serve-bytes`). All three are driven by wrk in the same run, in rotating rounds so that all see the
# same machine. Prints each round, then the medians of throughput, p50 and p99 and the medians of the per-round ratios
# (host / nginx, host / floor); stops every process it started.
#
#   scripts/load-test.sh                          # 6 rounds of wrk -t2 -c32 -d10s against each (after a 3 s warm-up each)
#   ROUNDS=3 THREADS=2 CONNECTIONS=64 DURATION=30s scripts/load-test.sh
#   REGIME_CACHE_MS=0 scripts/load-test.sh        # the host without the regime cache (one table read per request)
#
# Needs: .NET 10 SDK, Node (Azurite from npm ci), nginx and wrk (Debian: apt-get install -y nginx wrk; installed here when
# missing and running as root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-6}"
WARMUP="${WARMUP:-3s}"
CSV="${CSV:-}"

if ! command -v wrk >/dev/null 2>&1 || { ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "load-test: installing nginx and wrk (apt-get)…" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk >/dev/null
  else
    echo "load-test: needs nginx and wrk (apt-get install -y nginx wrk)" >&2
    exit 3
  fi
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -f node_modules/azurite/package.json ] || npm ci --no-audit --no-fund --loglevel=error >&2

if [ -z "$CSV" ]; then
  if [ -f tests/data/farside/farside_btc_etf_flows__daily.csv ]; then CSV=tests/data/farside/farside_btc_etf_flows__daily.csv
  else CSV=tests/Tapewatch.Tests/Fixtures/Rules/flows_small.csv; fi
fi

work="$(mktemp -d)"
chmod 755 "$work" # nginx workers run as an unprivileged user
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
  local p
  while :; do
    p=$(( (RANDOM % 30000) + 20000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
wait_http() { # url, seconds
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "load-test: $1 did not answer within $2 s" >&2
  return 1
}

# 1. A private in-memory Azurite.
blob=$(free_port); queue=$(free_port); table=$(free_port)
while [ "$queue" = "$blob" ]; do queue=$(free_port); done
while [ "$table" = "$blob" ] || [ "$table" = "$queue" ]; do table=$(free_port); done
node node_modules/azurite/dist/src/azurite.js --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
  --tableHost 127.0.0.1 --tablePort "$table" --inMemoryPersistence --skipApiVersionCheck --loose --disableTelemetry --silent \
  >"$work/azurite.log" 2>&1 &
pids+=($!)
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
for p in "$table" "$queue"; do
  for ((i = 0; i < 150; i++)); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.2; done
done

# No outbound traffic: remote sources pointed at a closed loopback port or disabled.
export Tapewatch__Flows__Sources=farside Tapewatch__Flows__Farside__BaseUrl=http://127.0.0.1:1/ Tapewatch__Flows__Http__MaxRetries=0
for v in Binance Okx Bybit Deribit Kraken Cftc BtcClose; do export "Tapewatch__Derivatives__${v}__Enabled=false"; done
[ -n "${REGIME_CACHE_MS:-}" ] && export Tapewatch__Api__RegimeCacheMilliseconds="$REGIME_CACHE_MS"

# 2. Seed: import the CSV (builds the CLI the first time).
echo "load-test: seeding from $CSV" >&2
./tapewatch ingest etf-flows --file "$CSV" --storage "$storage" --json >"$work/ingest.json"

# 3. The local host; then POST /api/evaluations and wait for the regime.
port=$(free_port)
./tapewatch run --port "$port" --storage "$storage" >"$work/host.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$port/api/health" 120
# changedFrom: the CSV may end long before today (the evaluator looks back 120 days from the latest closed session).
last=$(tail -n 1 "$CSV" | cut -d, -f1)
curl -fsS -X POST -H 'Content-Type: application/json' --data "{\"changedFrom\":\"$(date -d "$last - 7 days" +%F)\"}" \
  "http://127.0.0.1:$port/api/evaluations" -o /dev/null
for ((i = 0; i < 50; i++)); do
  curl -fsS -o "$work/regime.json" "http://127.0.0.1:$port/api/regime" 2>/dev/null && break
  sleep 0.2
done
if [ ! -s "$work/regime.json" ]; then
  # The host did not drain the evaluation queue: evaluate with the same code (EvaluationService) from the helper.
  dotnet build tests/Tapewatch.Benchmarks -c Release --nologo -v q -clp:ErrorsOnly >&2
  dotnet tests/Tapewatch.Benchmarks/bin/Release/net10.0/Tapewatch.Benchmarks.dll evaluate --storage "$storage" --changed-from "$(date -d "$last - 7 days" +%F)" >&2
  sleep 1.2 # past the regime cache
  curl -fsS -o "$work/regime.json" "http://127.0.0.1:$port/api/regime" || true
fi
[ -s "$work/regime.json" ] || { echo "load-test: no regime after the evaluation; host log:" >&2; tail -20 "$work/host.log" >&2; exit 1; }

# 4. nginx serving the same JSON as a static file on another loopback port.
mkdir -p "$work/www" "$work/nginx"
cp "$work/regime.json" "$work/www/regime.json"
nport=$(free_port)
cat >"$work/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  default_type application/json;
  keepalive_requests 100000;
  server { listen 127.0.0.1:$nport; root $work/www; }
}
EOF
"$NGINX" -c "$work/nginx.conf" -p "$work"
wait_http "http://127.0.0.1:$nport/regime.json" 10
cmp -s "$work/regime.json" <(curl -fsS "http://127.0.0.1:$nport/regime.json") || { echo "load-test: nginx serves different bytes" >&2; exit 1; }

# 4b. The floor: a minimal API on the same slim builder and Kestrel, the same bytes from memory.
dotnet build tests/Tapewatch.Benchmarks -c Release --nologo -v q -clp:ErrorsOnly >&2
fport=$(free_port)
dotnet tests/Tapewatch.Benchmarks/bin/Release/net10.0/Tapewatch.Benchmarks.dll serve-bytes "$work/regime.json" "$fport" >"$work/floor.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$fport/api/regime" 60
cmp -s "$work/regime.json" <(curl -fsS "http://127.0.0.1:$fport/api/regime") || { echo "load-test: the floor serves different bytes" >&2; exit 1; }

# 5. wrk against each, same settings, the order rotating each round; the warm-up of each round is not measured.
run_wrk() { # name round url
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$3" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$3" >"$work/$1.$2.wrk"
}
ms() { # wrk latency ("812.00us", "2.16ms", "1.02s") → milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
summary() { # name round → "rps p50_ms p99_ms non2xx_or_socket_errors"
  local f="$work/$1.$2.wrk"
  printf '%s %s %s %s\n' "$(awk '/^Requests\/sec:/ { print $2 }' "$f")" "$(ms "$(awk '$1 == "50%" { print $2; exit }' "$f")")" \
    "$(ms "$(awk '$1 == "99%" { print $2; exit }' "$f")")" "$(awk '/Non-2xx|Socket errors/ { n++ } END { print n + 0 }' "$f")"
}
bytes=$(wc -c <"$work/regime.json")
echo
echo "GET /api/regime ($bytes bytes), $ROUNDS alternating rounds of wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores ($(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')):"
printf '%-6s %-28s %12s %10s %10s\n' "round" "server" "requests/s" "p50 ms" "p99 ms"
rows="$work/rounds.tsv"
: >"$rows"
for round in $(seq 1 "$ROUNDS"); do
  case $((round % 3)) in
    1) order=(host nginx floor) ;;
    2) order=(nginx floor host) ;;
    0) order=(floor host nginx) ;;
  esac
  for name in "${order[@]}"; do
    case "$name" in
      host) run_wrk host "$round" "http://127.0.0.1:$port/api/regime"; label="tapewatch run (local host)" ;;
      nginx) run_wrk nginx "$round" "http://127.0.0.1:$nport/regime.json"; label="nginx static file" ;;
      floor) run_wrk floor "$round" "http://127.0.0.1:$fport/api/regime"; label="ASP.NET Core floor" ;;
    esac
    read -r r p50 p99 errs < <(summary "$name" "$round")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$r" "$p50" "$p99" "$errs" >>"$rows"
    printf '%-6s %-28s %12s %10s %10s%s\n' "$round" "$label" "$r" "$p50" "$p99" "$([ "$errs" -gt 0 ] && echo "  ($errs error lines: $work/$name.$round.wrk)")"
  done
done

echo
awk -F'\t' '
  function median(a, n,   j, k, t) {
    for (j = 2; j <= n; j++) { t = a[j]; for (k = j - 1; k >= 1 && a[k] > t; k--) a[k + 1] = a[k]; a[k + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  $2 == "host"  { hr[$1] = $3; h50[$1] = $4; h99[$1] = $5; herr += $6 }
  $2 == "nginx" { nr[$1] = $3; n50[$1] = $4; n99[$1] = $5; nerr += $6 }
  $2 == "floor" { fr[$1] = $3; f50[$1] = $4; f99[$1] = $5; ferr += $6 }
  END {
    n = 0
    for (r in hr) {
      n++; a[n] = hr[r]; b[n] = nr[r]; g[n] = fr[r]; c[n] = h50[r]; d[n] = n50[r]; k[n] = f50[r]; e[n] = h99[r]; f[n] = n99[r]; m[n] = f99[r]
      t[n] = hr[r] / nr[r]; p[n] = h99[r] / n99[r]; tf[n] = hr[r] / fr[r]; pf[n] = h99[r] / f99[r]; fn[n] = fr[r] / nr[r]
    }
    printf "%-28s %12s %10s %10s\n", "medians", "requests/s", "p50 ms", "p99 ms"
    printf "%-28s %12.0f %10.3f %10.3f\n", "tapewatch run (local host)", median(a, n), median(c, n), median(e, n)
    printf "%-28s %12.0f %10.3f %10.3f\n", "nginx static file", median(b, n), median(d, n), median(f, n)
    printf "%-28s %12.0f %10.3f %10.3f\n", "ASP.NET Core floor", median(g, n), median(k, n), median(m, n)
    printf "ratios, median of the per-round ratios:\n"
    printf "  host / nginx:  throughput %.2f, p99 %.2f\n", median(t, n), median(p, n)
    printf "  host / floor:  throughput %.2f, p99 %.2f\n", median(tf, n), median(pf, n)
    printf "  floor / nginx: throughput %.2f\n", median(fn, n)
    if (herr + nerr + ferr > 0) printf "error lines in wrk output: host %d, nginx %d, floor %d\n", herr, nerr, ferr
  }' "$rows"
