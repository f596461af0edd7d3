#!/usr/bin/env bash
# Benchmark of the model registry, in one run on this machine:
#  (a) alias resolutions/s and latency p50/p99 under 32 concurrent clients (wrk), next to the same load on the
#      bare endpoint /actuator/health/liveness of the same server;
#  (b) artifact download throughput of one large file, next to reading the same stored file from disk.
# Everything goes to 127.0.0.1 only. Parameters (environment): DURATION (wrk run, default 15s), WARMUP (JIT
# warm-up before each measured wrk run, 20s), FILE_MB (artifact size, 256), REPEATS (downloads and disk reads, 5),
# LOAD_SHARE (the paced load, as a share of the alias saturation rate measured in the same run, 0.25) or THINK_MS (the
# paced clients' mean wait between an answer and their next request, instead of LOAD_SHARE).
# Usage: bench/registry-bench.sh    (quick run: DURATION=3s WARMUP=2s FILE_MB=32 REPEATS=3 bench/registry-bench.sh)
set -euo pipefail

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-20s}
FILE_MB=${FILE_MB:-256}
REPEATS=${REPEATS:-5}
LOAD_SHARE=${LOAD_SHARE:-0.25}
CONNECTIONS=32
THREADS=2
MODEL=bench-model

# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

# --- tools and jar -------------------------------------------------------------------------------------------
need_wrk
need_tools curl java
ensure_jars model-registry

# --- a fresh registry on a free port, stopped on exit ----------------------------------------------------------
make_workdir registry-bench
note_machine_load
# server.port=0 lets the kernel pick a free port; the log line "Netty started on port N" tells which.
# shellcheck disable=SC2086 # the options are words
start_registry 0 ${JAVA_OPTS:-}
await "$REGISTRY/actuator/health" $REGISTRY_PID "$WORK/registry.log" "the registry"
BASE=$REGISTRY
log "registry up on $BASE, FLYWHEEL_HOME=$FLYWHEEL_HOME"

post() { curl -fsS --max-time 10 -H 'Content-Type: application/json' -X POST "$BASE/api/2.0/mlflow/$1" -d "$2" >/dev/null; }
post registered-models/create "{\"name\":\"$MODEL\"}"
post model-versions/create "{\"name\":\"$MODEL\",\"source\":\"s3://bench/m\"}"
post registered-models/alias "{\"name\":\"$MODEL\",\"alias\":\"champion\",\"version\":\"1\"}"
ALIAS_URL="$BASE/api/2.0/mlflow/registered-models/alias?name=$MODEL&alias=champion"
curl -fsS --max-time 5 "$ALIAS_URL" | grep -q '"version":"1"' || die "the alias does not resolve to version 1"

# --- (a) HTTP load ----------------------------------------------------------------------------------------------
# wrk prints latencies as 812.00us, 1.23ms or 1.02s: to_ms turns one into milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
  else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
# The registry's own view: its http.server.requests histogram (Prometheus, cumulative buckets) for one URI,
# as "le count" lines; the difference of two snapshots gives the p99 of the requests in between, from the moment
# the server read each request. Set beside wrk's p99 it shows how long requests wait before the server reads them.
buckets() {
  curl -fs --max-time 10 "$BASE/actuator/prometheus" | awk -v uri="uri=\"$1\"" '/^http_server_requests_seconds_bucket/ &&
    index($0, uri) && /status="200"/ { match($0, /le="[^"]*"/); print substr($0, RSTART + 4, RLENGTH - 5), $NF }'
}
server_p99() {
  awk 'NR == FNR { before[$1] = $2; next } { le[++n] = $1; c[n] = $2 - before[$1] }
    END { for (i = 1; i <= n; i++) if (c[i] >= 0.99 * c[n]) { printf "%.2f", le[i] * 1000; exit } }' "$1" "$2"
}
# load URL URI_LABEL -> "rps p50_ms p99_ms timeouts server_p99_ms". A JIT warm-up run comes first: on 2 cores the
# JVM needs ~20-30 s of this load before its throughput settles. --timeout 10s keeps slow answers in wrk's
# percentiles (wrk leaves out requests that time out, 2 s by default); any that still time out are counted.
# wrk's percentiles are corrected for coordinated omission (see docs/benchmarks.md).
load() {
  local out
  timeout 300 wrk -t$THREADS -c$CONNECTIONS -d"$WARMUP" --timeout 10s "$1" >/dev/null
  buckets "$2" >"$WORK/before"
  out=$(timeout 900 wrk -t$THREADS -c$CONNECTIONS -d"$DURATION" --timeout 10s --latency "$1")
  buckets "$2" >"$WORK/after"
  sed 's/^/    /' <<<"$out" >&2
  if grep -qE 'Non-2xx|connect [1-9]' <<<"$out"; then die "failed requests under load on $1"; fi
  echo "$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")" \
    "$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")" "$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")" \
    "$(awk '/Socket errors/ { print $NF + 0; f = 1 } END { if (!f) print 0 }' <<<"$out")" \
    "$(server_p99 "$WORK/before" "$WORK/after")"
}
log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION on the alias endpoint (after a $WARMUP warm-up)"
ALIAS=$(load "$ALIAS_URL" /api/2.0/mlflow/registered-models/alias)
read -r ALIAS_RPS ALIAS_P50 ALIAS_P99 ALIAS_TIMEOUTS ALIAS_SERVER_P99 <<<"$ALIAS"
log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION on /actuator/health/liveness (after a $WARMUP warm-up)"
BARE=$(load "$BASE/actuator/health/liveness" '/actuator/health/{*path}')
read -r BARE_RPS BARE_P50 BARE_P99 BARE_TIMEOUTS BARE_SERVER_P99 <<<"$BARE"

# Latency at a steady load: the same 32 clients, each waiting THINK_MS on average (exponentially distributed, so
# that their requests arrive spread out: bench/paced.lua) between an answer and its next request; by default THINK_MS
# makes them offer LOAD_SHARE of the alias rate just measured at saturation, so that the load means the same on a
# fast machine and a slow one. wrk above drives the server to saturation, where p99 is the length of the queue rather
# than the service; this is the p99 a caller sees when the registry is busy but not overloaded. (hey -q, used before,
# starts every client's ticker at once: its 32 clients sent bursts of 32 simultaneous requests, and its percentiles
# measured the queueing inside a burst.)
paced() {  # URL -> "p50_ms p99_ms rps"
  local out
  out=$(WRK_THINK_MS=$THINK_MS timeout 300 wrk -t$THREADS -c$CONNECTIONS -d"$DURATION" --timeout 10s --latency \
    -s "$ROOT/bench/paced.lua" "$1")
  sed 's/^/    /' <<<"$out" >&2
  if grep -qE 'Non-2xx|connect [1-9]' <<<"$out"; then die "failed requests under paced load on $1"; fi
  echo "$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")" "$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")" \
    "$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
}
THINK_MS=${THINK_MS:-$(awk -v rps="$ALIAS_RPS" -v c=$CONNECTIONS -v share="$LOAD_SHARE" \
  'BEGIN { printf "%.1f", 1000 * c / (rps * share) }')}
log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, each connection waiting ${THINK_MS} ms on average, on the alias endpoint and on liveness"
read -r PACED_P50 PACED_P99 PACED_RPS <<<"$(paced "$ALIAS_URL")"
read -r PACED_BARE_P50 PACED_BARE_P99 PACED_BARE_RPS <<<"$(paced "$BASE/actuator/health/liveness")"

# --- (b) artifact download against disk read ---------------------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'; }
mbps() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.0f", b / t / 1e6 }'; }   # bytes, seconds -> MB/s (10^6)
BIG=$WORK/big.bin
BYTES=$((FILE_MB * 1024 * 1024))
log "uploading $FILE_MB MiB of random bytes"
head -c "$BYTES" /dev/urandom >"$BIG"
curl -fsS --max-time 300 -X PUT -H 'Content-Type: application/octet-stream' -T "$BIG" \
  "$BASE/api/2.0/mlflow-artifacts/artifacts/bench/big.bin" >/dev/null
STORED=$FLYWHEEL_HOME/registry/artifacts/bench/big.bin
cmp -s "$BIG" "$STORED" || die "the stored artifact differs from the upload"
rm -f "$BIG"

disk_read() {  # seconds dd reports for reading the stored file (like curl's time_total: no process start-up)
  LC_ALL=C timeout 120 dd if="$STORED" of=/dev/null bs=1M 2>&1 | awk '/copied/ { print $(NF - 3) }'
}
download() {  # "bytes seconds" of one GET, body discarded
  timeout 300 curl -fsS --max-time 300 -o /dev/null -w '%{size_download} %{time_total}' \
    "$BASE/api/2.0/mlflow-artifacts/artifacts/bench/big.bin"
}
# "From disk" means from the device: each cold measurement starts with the page cache dropped (root only). Warm
# ones read from the page cache, where dd copies memory and the download crosses loopback TCP: that pair shows the
# loopback ceiling rather than the server (bench/loopback-ceiling.py measures a bare sendfile server the same way).
CAN_DROP=no
if [[ -w /proc/sys/vm/drop_caches ]]; then CAN_DROP=yes; fi
drop_cache() { sync; echo 3 >/proc/sys/vm/drop_caches; }
measure() {  # cold|warm -> "disk_mbps download_mbps" medians over REPEATS
  local disk=() dl=() got secs
  for _ in $(seq 1 "$REPEATS"); do
    [[ $1 == cold ]] && drop_cache
    disk+=("$(mbps "$BYTES" "$(disk_read)")")
    [[ $1 == cold ]] && drop_cache
    read -r got secs <<<"$(download)"
    [[ $got == "$BYTES" ]] || die "download returned $got bytes, expected $BYTES"
    dl+=("$(mbps "$BYTES" "$secs")")
  done
  log "$1: disk MB/s per run: ${disk[*]}; download MB/s per run: ${dl[*]}"
  echo "$(printf '%s\n' "${disk[@]}" | median) $(printf '%s\n' "${dl[@]}" | median)"
}
disk_read >/dev/null; download >/dev/null   # warm the page cache and the server path
read -r DISK_MBPS DL_MBPS <<<"$(measure warm)"
COLD_DISK_MBPS=n/a COLD_DL_MBPS=n/a
if [[ $CAN_DROP == yes ]]; then
  read -r COLD_DISK_MBPS COLD_DL_MBPS <<<"$(measure cold)"
fi

# --- report ---------------------------------------------------------------------------------------------------------
RPS_RATIO=$(ratio "$ALIAS_RPS" "$BARE_RPS")
DL_RATIO=$(ratio "$DL_MBPS" "$DISK_MBPS")
COLD_RATIO=n/a COLD_VERDICT="not measured (needs root to drop the page cache)"
if [[ $CAN_DROP == yes ]]; then
  COLD_RATIO=$(ratio "$COLD_DL_MBPS" "$COLD_DISK_MBPS"); COLD_VERDICT=$(verdict "$COLD_RATIO" 0.5 ">=")
fi
cat <<EOF

Model registry, $(date -u +%Y-%m-%d) ($(nproc) cores; before the run: load average $LOAD_BEFORE, CPU idle $IDLE_BEFORE%)
wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout 10s --latency, each after a $WARMUP warm-up; $FILE_MB MiB artifact, median of $REPEATS

| figure | value | reference in the same run | ratio | target | verdict |
| --- | --- | --- | --- | --- | --- |
| alias resolutions/s | $ALIAS_RPS | liveness $BARE_RPS req/s | $RPS_RATIO | (reported) | |
| alias latency p50 | $ALIAS_P50 ms | liveness $BARE_P50 ms | | | |
| alias latency p99 at saturation | $ALIAS_P99 ms | liveness $BARE_P99 ms | | (reported) | |
| alias latency p50, 32 paced clients ($PACED_RPS req/s, $(ratio "$PACED_RPS" "$ALIAS_RPS") of saturation; liveness $PACED_BARE_RPS) | $PACED_P50 ms | liveness $PACED_BARE_P50 ms | | | |
| alias latency p99, 32 paced clients (${THINK_MS} ms mean think time) | $PACED_P99 ms | liveness $PACED_BARE_P99 ms | | < 5 ms | $(verdict "$PACED_P99" 5 "<") |
| alias p99 inside the server (histogram bucket bound) | <= $ALIAS_SERVER_P99 ms | liveness <= $BARE_SERVER_P99 ms | | (diagnostic) | |
| requests over 10 s (timeouts) | $ALIAS_TIMEOUTS | liveness $BARE_TIMEOUTS | | (reported) | |
| artifact download, from disk (page cache dropped) | $COLD_DL_MBPS MB/s | dd from disk $COLD_DISK_MBPS MB/s | $COLD_RATIO | >= 0.5 | $COLD_VERDICT |
| artifact download, from the page cache | $DL_MBPS MB/s | dd from the page cache $DISK_MBPS MB/s | $DL_RATIO | (loopback ceiling) | |
EOF
