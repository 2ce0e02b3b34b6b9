#!/usr/bin/env bash
# Start-up time (process start → /health/ready answers 200) and idle memory (RSS after 10 s idle) of the
# published bridge, on SQLite, over N runs; prints each run and the medians. Usage: bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet publish src/OmneoSfccBridge -c Release -o "$out/app" >/dev/null

export Sfcc__InstanceUrl=http://127.0.0.1:9 Sfcc__SiteId=Bench Sfcc__ClientId=bench Sfcc__ClientSecret=bench \
  Sfcc__CustomerListId=Bench Omneo__BaseUrl=http://127.0.0.1:9 Omneo__ApiToken=bench \
  Admin__ApiKey=bench-admin-key-0123456789abcdef \
  Registration__IdempotencySecret=bench-idempotency-secret-0123456789abcdef Logging__LogLevel__Default=Warning
port=5199
starts=() rss=()
for i in $(seq "$runs"); do
  rm -rf "$out/data"
  begin=$(date +%s%N)
  (cd "$out" && exec dotnet app/OmneoSfccBridge.dll --urls "http://127.0.0.1:$port") >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.02; done
  ms=$(( ($(date +%s%N) - begin) / 1000000 ))
  sleep 10
  kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "run $i: start-up ${ms} ms, idle RSS $((kb / 1024)) MB"
  starts+=("$ms") rss+=("$((kb / 1024))")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "median start-up: $(median "${starts[@]}") ms; median idle RSS: $(median "${rss[@]}") MB"
