#!/usr/bin/env bash
# Load test, on this machine only (loopback): GET /api/regime from the local host (over a private Azurite seeded with the
# flows CSV, evaluated through POST /api/evaluations) beside nginx serving the same JSON as a static file, both driven by
# wrk in the same run. Prints both throughputs, p50/p99 latencies and the ratio; stops every process it started.
#
#   scripts/load-test.sh                          # wrk -t2 -c32 -d15s against each (after a 3 s warm-up)
#   THREADS=2 CONNECTIONS=64 DURATION=30s scripts/load-test.sh
#   REGIME_CACHE_MS=0 scripts/load-test.sh        # the host without the regime cache (one table read per request)
#
# Needs: .NET 10 SDK, Node (Azurite from npm ci), nginx and wrk (Debian: apt-get install -y nginx wrk; installed here when
# missing and running as root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
DURATION="${DURATION:-15s}"
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

# 5. wrk against each, same settings.
run_wrk() { # name url
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$2" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$2" >"$work/$1.wrk"
}
run_wrk host "http://127.0.0.1:$port/api/regime"
run_wrk nginx "http://127.0.0.1:$nport/regime.json"

field() { awk -v k="$2" '$1 == k { print $2; exit }' "$work/$1.wrk"; }
rps() { awk '/^Requests\/sec:/ { print $2 }' "$work/$1.wrk"; }
errors() { awk '/Non-2xx|Socket errors/ { print; }' "$work/$1.wrk"; }
host_rps=$(rps host); nginx_rps=$(rps nginx)
ratio=$(awk -v a="$host_rps" -v b="$nginx_rps" 'BEGIN { printf "%.2f", a / b }')
bytes=$(wc -c <"$work/regime.json")

echo
echo "GET /api/regime ($bytes bytes), wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores ($(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')):"
printf '%-28s %12s %10s %10s\n' "server" "requests/s" "p50" "p99"
printf '%-28s %12s %10s %10s\n' "tapewatch run (local host)" "$host_rps" "$(field host 50%)" "$(field host 99%)"
printf '%-28s %12s %10s %10s\n' "nginx static file" "$nginx_rps" "$(field nginx 50%)" "$(field nginx 99%)"
echo "ratio (host / nginx): $ratio"
errors host | sed 's/^/host: /'
errors nginx | sed 's/^/nginx: /'
