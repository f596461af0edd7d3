#!/usr/bin/env bash
# Benchmark of the inference service (docs/benchmarks.md), in one run on this machine, every figure set beside a
# reference measured in the same run:
#  1. single-row OIP inference (POST /v2/models/iris-species/infer) at CONNECTIONS connections, next to
#     POST /bench/constant with the same body (reads the body, answers a constant: the HTTP stack alone);
#  2. the same load on the naive design (POST /bench/naive/...: one synchronized DL4J output() per request);
#  3. rows/s with BIG_ROWS-row requests (input tensor [BIG_ROWS, 4]), batched against naive (measured last);
#  4. p99 while the registry alias 'champion' moves between versions 1 and 2 every SWAP_EVERY seconds, next to the
#     same load for the same time without moves; non-2xx answers are counted (wrk's response hook);
#  6. the single-row load beside SIDE_CONNECTIONS more connections sending invalid requests (NaN: 400) at SIDE_RATE
#     requests/s each (hey -q), next to the same beside as many sending valid ones at the same rate: what bad input
#     costs the others; and the service's own CPU time per request, valid and invalid, at that paced rate;
#  5. the service's resident memory (VmRSS, sampled every second) through the whole run.
# The service runs as deployed: a registry in a temporary FLYWHEEL_HOME on a free port, iris trained twice (the second
# time with another seed), the service jar with explicit memory settings and OMP_NUM_THREADS=1, and its prediction log
# posting to a local sink that answers 200. Everything goes to 127.0.0.1 only; everything started is stopped on exit.
#
# Usage: bench/inference-bench.sh             the benchmark above
#        bench/inference-bench.sh soak [MIN]  full single-row load for MIN minutes (default 10); RSS after warm-up,
#                                             every minute and at the end
# Parameters (environment), with CI-small defaults: DURATION (each measured wrk run, 10s), WARMUP (the wrk run before
# each measured one, not counted, 10s), CONNECTIONS (64), THREADS (wrk threads, 2), BIG_ROWS (256), BIG_CONNECTIONS
# (connections for the BIG_ROWS-row runs, 16), SIDE_CONNECTIONS (16), SIDE_RATE (requests/s of each, 50), SWAP_DURATION (each of the steady and swapping runs, 20s), SWAP_EVERY
# (seconds between alias moves, 2), HEAP (-Xmx and -Xms of the service, 384m), JAVACPP_MAXBYTES (128m),
# JAVACPP_MAXPHYSICALBYTES (900m), SERVICE_OPTS (more JVM options for the service).
# A longer run: DURATION=20s WARMUP=20s SWAP_DURATION=30s bench/inference-bench.sh
set -euo pipefail

MODE=${1:-bench}
SOAK_MINUTES=${2:-10}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
BIG_ROWS=${BIG_ROWS:-256}
BIG_CONNECTIONS=${BIG_CONNECTIONS:-16}
SIDE_CONNECTIONS=${SIDE_CONNECTIONS:-16}
SIDE_RATE=${SIDE_RATE:-50}
SWAP_DURATION=${SWAP_DURATION:-20s}
SWAP_EVERY=${SWAP_EVERY:-2}
HEAP=${HEAP:-384m}
JAVACPP_MAXBYTES=${JAVACPP_MAXBYTES:-128m}
JAVACPP_MAXPHYSICALBYTES=${JAVACPP_MAXPHYSICALBYTES:-900m}
MODEL=iris-species
case $MODE in
  bench) ;;
  soak) [[ $SOAK_MINUTES =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 soak [MINUTES]" >&2; exit 2; } ;;
  *) echo "usage: $0 [bench | soak [MINUTES]]" >&2; exit 2 ;;
esac

# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

# --- tools and jars -------------------------------------------------------------------------------------------------
need_wrk
need_hey
need_tools curl python3 java
ensure_jars model-registry training-pipeline inference-service

# --- processes, stopped on exit ---------------------------------------------------------------------------------------
make_workdir inference-bench
note_machine_load

# A registry: server.port=0 lets the kernel pick a free port.
start_registry 0 -Xmx256m
log "registry up on $REGISTRY, FLYWHEEL_HOME=$FLYWHEEL_HOME"

# Iris twice (lib.sh): version 1 (champion) from examples/iris.yaml, version 2 from a copy with another seed (the
# gate may refuse it against the champion: it is registered all the same, without an alias).
train_iris_twice

# Monitoring's stand-in (lib.sh): answers 200 to every POST of the prediction log.
start_sink

# The service, with its memory bounded (lib.sh): a fixed heap, and javacpp's limits on ND4J's off-heap buffers
# (JAVACPP_MAXBYTES) and on the whole process (JAVACPP_MAXPHYSICALBYTES), and the bench endpoints.
start_service 0 --flywheel.inference.bench-endpoints=true
await "$SERVICE/v2/models/$MODEL/ready" $SERVICE_PID "$WORK/service.log" "the service"
log "service up on $SERVICE (pid $SERVICE_PID), monitoring sink on $MONITORING"

# RSS sampler: "seconds_since_epoch rss_kib" every second, for as long as the service lives.
(while kill -0 $SERVICE_PID 2>/dev/null; do
  rss=$(awk '/^VmRSS:/ { print $2 }' /proc/$SERVICE_PID/status 2>/dev/null) && echo "$(date +%s) $rss"
  sleep 1
done) >"$WORK/rss" 2>/dev/null &
PIDS+=($!)
rss_now() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' /proc/$SERVICE_PID/status; }             # MiB
rss_max() { awk -v from="${1:-0}" '$1 >= from && $2 > m { m = $2 } END { printf "%.0f", m / 1024 }' "$WORK/rss"; }

# --- load -------------------------------------------------------------------------------------------------------------
ONE=$WORK/one-row.json
echo '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[[5.1,3.5,1.4,0.2]]}]}' >"$ONE"
BIG=$WORK/big.json
python3 - "$BIG_ROWS" >"$BIG" <<'EOF'
import json, random, sys
rows = int(sys.argv[1])
random.seed(1)
data = [[round(random.uniform(4.3, 7.9), 1), round(random.uniform(2.0, 4.4), 1), round(random.uniform(1.0, 6.9), 1),
         round(random.uniform(0.1, 2.5), 1)] for _ in range(rows)]
print(json.dumps({"inputs": [{"name": "input", "shape": [rows, 4], "datatype": "FP32", "data": data}]}))
EOF
INFER=$SERVICE/v2/models/$MODEL/infer
NAIVE=$SERVICE/bench/naive/v2/models/$MODEL/infer
CONSTANT=$SERVICE/bench/constant
for url in "$INFER" "$NAIVE" "$CONSTANT"; do
  curl -fsS --max-time 10 -H 'Content-Type: application/json' -d @"$ONE" "$url" >/dev/null || die "POST $url failed"
done

# Prometheus counters of the service: "sum count" of the batch rows summary, and the prediction log's sent/dropped.
metric() {
  curl -fs --max-time 10 "$SERVICE/actuator/prometheus" |
    awk -v name="$1" '$1 == name || index($1, name "{") == 1 { s += $NF } END { printf "%.0f", s }'
}
batch_rows() { echo "$(metric inference_batch_rows_sum) $(metric inference_batch_rows_count)"; }

# measure NAME BODY URL CONNECTIONS [DURATION [nowarmup]] -> sets NAME_RPS NAME_P50 NAME_P99 NAME_MAX (ms) NAME_NON2XX
# NAME_TIMEOUTS NAME_ERRORS NAME_STATUSES NAME_VERSIONS NAME_BATCH (mean rows per model call, batched path only) and
# NAME_OTHERS (percent of the machine's CPU other processes took meanwhile).
# A warm-up run of WARMUP comes first and is not counted, unless the 6th argument is "nowarmup".
measure() {
  local name=$1 body=$2 url=$3 connections=$4 duration=${5:-$DURATION} requests micros p50 p99 max non2xx timeouts
  local connect read statuses versions before after mark mark_after
  [[ ${6:-} == nowarmup ]] || warm_up "$body" "$url" "$connections"
  before=$(batch_rows)
  cpu_mark mark
  read -r requests micros p50 p99 max non2xx timeouts connect read statuses versions \
    <<<"$(wrk_run "$body" "$url" "$duration" "$connections")"
  cpu_mark mark_after
  if [[ -z $requests ]]; then
    kill -0 $SERVICE_PID 2>/dev/null || die "the service died during the run on $url: $(ls "$WORK"/hs_err_pid*.log 2>/dev/null |
      head -1 | xargs -r sed -n 's/^# \(C  \[.*\)/native crash in \1/p' | head -1)"
    die "no result from wrk on $url"
  fi
  printf -v "${name}_OTHERS" '%s' "$(others_pct "$mark" "$mark_after")"
  after=$(batch_rows)
  printf -v "${name}_RPS" '%s' "$(awk -v n="$requests" -v us="$micros" 'BEGIN { printf "%.0f", n / (us / 1e6) }')"
  printf -v "${name}_P50" '%s' "$(awk -v us="$p50" 'BEGIN { printf "%.2f", us / 1000 }')"
  printf -v "${name}_P99" '%s' "$(awk -v us="$p99" 'BEGIN { printf "%.2f", us / 1000 }')"
  printf -v "${name}_MAX" '%s' "$(awk -v us="$max" 'BEGIN { printf "%.2f", us / 1000 }')"
  printf -v "${name}_NON2XX" '%s' "$non2xx"
  printf -v "${name}_TIMEOUTS" '%s' "$timeouts"
  printf -v "${name}_ERRORS" '%s' "$((connect + read))"
  printf -v "${name}_STATUSES" '%s' "$statuses"
  printf -v "${name}_VERSIONS" '%s' "$versions"
  printf -v "${name}_BATCH" '%s' "$(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ");
    n = y[2] - x[2]; if (n > 0) printf "%.1f", (y[1] - x[1]) / n; else print "-" }')"
  log "$name: $requests requests, $(eval echo "\$${name}_RPS") req/s, p50 $(eval echo "\$${name}_P50") ms, p99" \
    "$(eval echo "\$${name}_P99") ms, statuses $statuses, versions $versions, mean batch $(eval echo "\$${name}_BATCH") rows," \
    "other processes $(eval echo "\$${name}_OTHERS")% of the CPU"
}

move_champion() {  # VERSION
  curl -fsS --max-time 10 -H 'Content-Type: application/json' -X POST \
    "$REGISTRY/api/2.0/mlflow/registered-models/alias" \
    -d "{\"name\":\"$MODEL\",\"alias\":\"champion\",\"version\":\"$1\"}" >/dev/null
}
served_version() {
  curl -fsS --max-time 10 -H 'Content-Type: application/json' -d @"$ONE" "$INFER" |
    sed -n 's/.*"model_version":"\([^"]*\)".*/\1/p'
}
wait_for_version() {  # VERSION: until the service answers with it (30 s at most)
  for _ in $(seq 1 60); do [[ $(served_version) == "$1" ]] && return; sleep 0.5; done
  die "the service still answers with version $(served_version), not $1"
}
log_counts() { echo "$(metric inference_prediction_log_sent_total) $(metric inference_prediction_log_dropped_total)"; }

# --- soak ----------------------------------------------------------------------------------------------------------
if [[ $MODE == soak ]]; then
  log "soak: warm-up $WARMUP, then $SOAK_MINUTES x 1 minute of single-row load at $CONNECTIONS connections"
  warm_up "$ONE" "$INFER" "$CONNECTIONS"
  START_RSS=$(rss_now)
  START_TIME=$(date +%s)
  read -r LOG_SENT_0 LOG_DROPPED_0 <<<"$(log_counts)"
  log "RSS after warm-up: $START_RSS MiB"
  ROWS=""
  TOTAL_NON2XX=0
  for minute in $(seq 1 "$SOAK_MINUTES"); do
    cpu_mark mark
    read -r requests micros p50 p99 max non2xx timeouts connect read statuses versions \
      <<<"$(wrk_run "$ONE" "$INFER" 60s "$CONNECTIONS")"
    cpu_mark mark_after
    [[ -n $requests ]] || die "no result from wrk$(kill -0 $SERVICE_PID 2>/dev/null || echo ': the service died')"
    rss=$(rss_now)
    TOTAL_NON2XX=$((TOTAL_NON2XX + non2xx + timeouts + connect + read))
    row=$(awk -v m="$minute" -v n="$requests" -v us="$micros" -v p50="$p50" -v p99="$p99" -v rss="$rss" \
      -v max="$(rss_max "$(($(date +%s) - 60))")" -v bad="$((non2xx + timeouts + connect + read))" \
      -v others="$(others_pct "$mark" "$mark_after")" 'BEGIN { printf "| %d | %d | %.0f | %.2f | %.2f | %s | %s | %s | %s%% |",
      m, n, n / (us / 1e6), p50 / 1000, p99 / 1000, rss, max, bad, others }')
    log "$row"
    ROWS+="$row"$'\n'
  done
  END_RSS=$(rss_now)
  read -r LOG_SENT_1 LOG_DROPPED_1 <<<"$(log_counts)"
  MAX_RSS=$(rss_max "$START_TIME")
  GROWTH=$((END_RSS - START_RSS))
  cat <<EOF

Inference service soak, $(date -u +%Y-%m-%d) ($(nproc) cores; before the run: load average $LOAD_BEFORE, CPU idle $IDLE_BEFORE%)
$SOAK_MINUTES minutes of wrk -t$THREADS -c$CONNECTIONS, one single-row OIP request per call, after a $WARMUP warm-up
service: java $(echo ${SERVICE_JAVA_OPTS#* }), OMP_NUM_THREADS=1

| minute | requests | req/s | p50 ms | p99 ms | RSS at the end of the minute, MiB | max RSS in the minute, MiB | non-2xx or failed | CPU taken by other processes |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
$ROWS
RSS after warm-up $START_RSS MiB, at the end $END_RSS MiB (growth $GROWTH MiB), max $MAX_RSS MiB (target < 1024: $(verdict "$MAX_RSS" 1024 "<"))
prediction log: $((LOG_SENT_1 - LOG_SENT_0)) rows sent to monitoring, $((LOG_DROPPED_1 - LOG_DROPPED_0)) dropped; non-2xx or failed requests: $TOTAL_NON2XX
EOF
  exit 0
fi

# --- benchmark -------------------------------------------------------------------------------------------------------
# The JIT first: a warm-up run on every endpoint and body before any measured run (each still has its own warm-up),
# so that no figure is measured while the path it is compared with is still being compiled.
log "JIT warm-up: $WARMUP on each single-row endpoint"
for url in "$CONSTANT" "$INFER" "$NAIVE"; do warm_up "$ONE" "$url" "$CONNECTIONS"; done
START_TIME=$(date +%s)
read -r LOG_SENT_0 LOG_DROPPED_0 <<<"$(log_counts)"
log "1. single-row OIP inference against /bench/constant, wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-ups)"
measure CONSTANT "$ONE" "$CONSTANT" "$CONNECTIONS"
measure INFER "$ONE" "$INFER" "$CONNECTIONS"
log "2. the same load on the naive endpoint"
measure NAIVE "$ONE" "$NAIVE" "$CONNECTIONS"
log "4. single-row load for $SWAP_DURATION steady, then $SWAP_DURATION with champion moving every $SWAP_EVERY s"
measure STEADY "$ONE" "$INFER" "$CONNECTIONS" "$SWAP_DURATION"
SWAP_SECONDS=$(seconds "$SWAP_DURATION")
SWAPS_BEFORE=$(grep -c "$MODEL now serves" "$WORK/service.log" || true)
# The moves start after the warm-up of the measured run (measure's own), so they fall inside the measured SWAP_DURATION.
warm_up "$ONE" "$INFER" "$CONNECTIONS"
(
  deadline=$(($(date +%s) + ${SWAP_SECONDS%.*}))
  version=2 moves=0
  sleep "$SWAP_EVERY"
  while (($(date +%s) < deadline - 1)); do
    move_champion $version && moves=$((moves + 1))
    version=$((3 - version))
    sleep "$SWAP_EVERY"
  done
  echo $moves >"$WORK/moves"
) &
SWAPPER=$!
PIDS+=($SWAPPER)
measure SWAP "$ONE" "$INFER" "$CONNECTIONS" "$SWAP_DURATION" nowarmup
wait $SWAPPER
MOVES=$(cat "$WORK/moves")
SWAPS=$(($(grep -c "$MODEL now serves" "$WORK/service.log" || true) - SWAPS_BEFORE))
SWAP_BAD=$((SWAP_NON2XX + SWAP_TIMEOUTS + SWAP_ERRORS))
move_champion 1
wait_for_version 1

log "6. the single-row load beside $SIDE_CONNECTIONS connections at $SIDE_RATE req/s each, sending good requests, then invalid ones (NaN)"
BAD=$WORK/bad.json
echo '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[[5.1,NaN,1.4,0.2]]}]}' >"$BAD"
# The side load is paced (hey -q), so that valid and invalid side requests arrive at the same rate and the two runs of
# the single-row load differ only in what the side sends.
beside() {  # NAME SIDE_BODY: measure NAME (the single-row load) while the paced side load sends SIDE_BODY
  local span side
  span=$(awk -v a="$(seconds "$WARMUP")" -v b="$(seconds "$DURATION")" 'BEGIN { printf "%.0f", a + b + 2 }')
  timeout 3600 hey -z "${span}s" -c "$SIDE_CONNECTIONS" -q "$SIDE_RATE" -t 10 -m POST -T application/json -D "$2" \
    "$INFER" >"$WORK/side-$1" 2>&1 &
  side=$!
  measure "$1" "$ONE" "$INFER" "$CONNECTIONS"
  wait $side || die "hey failed: $(tail -5 "$WORK/side-$1")"
  # hey's answers by status, as 200:12345,... (lib.sh); and its requests/s
  printf -v "${1}_SIDE" '%s' "$(hey_statuses "$WORK/side-$1")"
  printf -v "${1}_SIDE_RPS" '%s' "$(awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/side-$1")"
}
beside BESIDEGOOD "$ONE"
beside BESIDEBAD "$BAD"
# What one request costs the service, valid or not: its own CPU time (from /proc, whatever else runs on the machine)
# over a paced load of SIDE_CONNECTIONS x SIDE_RATE requests/s for DURATION, after a warm-up, divided by the answers.
cpu_per_request() {  # NAME BODY -> NAME_CPU_US and NAME_CPU_ANSWERS
  local before after answers
  timeout 3600 hey -z "$WARMUP" -c "$SIDE_CONNECTIONS" -q "$SIDE_RATE" -t 10 -m POST -T application/json -D "$2" \
    "$INFER" >/dev/null 2>&1
  before=$(jiffies $SERVICE_PID)
  timeout 3600 hey -z "$DURATION" -c "$SIDE_CONNECTIONS" -q "$SIDE_RATE" -t 10 -m POST -T application/json -D "$2" \
    "$INFER" >"$WORK/cpu-$1" 2>&1 || die "hey failed: $(tail -5 "$WORK/cpu-$1")"
  after=$(jiffies $SERVICE_PID)
  answers=$(hey_statuses "$WORK/cpu-$1")
  printf -v "${1}_CPU_ANSWERS" '%s' "$answers"
  printf -v "${1}_CPU_US" '%s' "$(awk -v j=$((after - before)) -v hz="$(getconf CLK_TCK)" -v a="$answers" 'BEGIN {
    n = 0; split(a, parts, ","); for (i in parts) { split(parts[i], kv, ":"); n += kv[2] }
    printf "%.0f", (n > 0 ? j * 1e6 / hz / n : 0) }')"
  log "$1: $answers, $(eval echo "\$${1}_CPU_US") us of the service's CPU per request"
}
cpu_per_request VALID "$ONE"
cpu_per_request INVALID "$BAD"

# Last, because DL4J 1.0.0-M2.1 can crash the whole process in native code under these large batches (see
# docs/benchmarks.md): everything above is measured by then.
log "3. $BIG_ROWS-row requests, wrk -t$THREADS -c$BIG_CONNECTIONS, batched and naive"
measure BIG "$BIG" "$INFER" "$BIG_CONNECTIONS"
measure BIGNAIVE "$BIG" "$NAIVE" "$BIG_CONNECTIONS"
BIG_ROWS_S=$(awk -v r="$BIG_RPS" -v n="$BIG_ROWS" 'BEGIN { printf "%.0f", r * n }')
BIGNAIVE_ROWS_S=$(awk -v r="$BIGNAIVE_RPS" -v n="$BIG_ROWS" 'BEGIN { printf "%.0f", r * n }')

END_TIME=$(date +%s)
read -r LOG_SENT_1 LOG_DROPPED_1 <<<"$(log_counts)"
MAX_RSS=$(rss_max "$START_TIME")
END_RSS=$(rss_now)

# --- report ----------------------------------------------------------------------------------------------------------
RPS_RATIO=$(ratio "$INFER_RPS" "$CONSTANT_RPS")
NAIVE_RATIO=$(ratio "$INFER_RPS" "$NAIVE_RPS")
BIG_RATIO=$(ratio "$BIG_ROWS_S" "$BIGNAIVE_ROWS_S")
SWAP_RATIO=$(ratio "$SWAP_P99" "$STEADY_P99")
cat <<EOF

Inference service, $(date -u +%Y-%m-%d) ($(nproc) cores; before the run: load average $LOAD_BEFORE, CPU idle $IDLE_BEFORE%)
wrk -t$THREADS --timeout 10s, a $WARMUP JIT warm-up on every endpoint, then each measured run after a $WARMUP warm-up; $DURATION runs at $CONNECTIONS connections
(single row) and $BIG_CONNECTIONS connections ($BIG_ROWS rows); $SWAP_DURATION for the swap pair
service: java $(echo ${SERVICE_JAVA_OPTS#* }), OMP_NUM_THREADS=1

| figure | value | reference in the same run | ratio | target | verdict |
| --- | --- | --- | --- | --- | --- |
| 1. single-row OIP infer, req/s | $INFER_RPS | /bench/constant $CONSTANT_RPS req/s | $RPS_RATIO | >= 0.5 | $(verdict "$RPS_RATIO" 0.5 ">=") |
| 1. single-row OIP infer, p50 / p99 | $INFER_P50 / $INFER_P99 ms | /bench/constant $CONSTANT_P50 / $CONSTANT_P99 ms | | p99 < 25 ms | $(verdict "$INFER_P99" 25 "<") |
| 1. mean rows per model call | $INFER_BATCH | | | (diagnostic) | |
| 2. single-row, batched vs naive, req/s | $INFER_RPS | naive $NAIVE_RPS req/s (p50 / p99 $NAIVE_P50 / $NAIVE_P99 ms) | $NAIVE_RATIO | (reported) | |
| 3. $BIG_ROWS-row requests, batched vs naive, rows/s | $BIG_ROWS_S ($BIG_RPS req/s, p99 $BIG_P99 ms) | naive $BIGNAIVE_ROWS_S ($BIGNAIVE_RPS req/s, p99 $BIGNAIVE_P99 ms) | $BIG_RATIO | (reported) | |
| 4. p99 while champion moves ($MOVES moves, $SWAPS swaps seen, answers by version $SWAP_VERSIONS) | $SWAP_P99 ms ($SWAP_RPS req/s) | steady $STEADY_P99 ms ($STEADY_RPS req/s) | $SWAP_RATIO | < 2 | $(verdict "$SWAP_RATIO" 2 "<") |
| 4. non-2xx or failed answers during the moves | $SWAP_BAD (statuses $SWAP_STATUSES) | steady $((STEADY_NON2XX + STEADY_TIMEOUTS + STEADY_ERRORS)) | | 0 | $(verdict "$SWAP_BAD" 0 "=") |
| 6. single-row load beside invalid requests ($SIDE_CONNECTIONS connections, $BESIDEBAD_SIDE_RPS req/s), req/s / p99 | $BESIDEBAD_RPS / $BESIDEBAD_P99 ms (side answers $BESIDEBAD_SIDE) | beside as many valid ones ($BESIDEGOOD_SIDE_RPS req/s) $BESIDEGOOD_RPS / $BESIDEGOOD_P99 ms (side answers $BESIDEGOOD_SIDE) | $(ratio "$BESIDEBAD_RPS" "$BESIDEGOOD_RPS") | (reported) | |
| 6. the service's CPU per invalid request (paced, answers $INVALID_CPU_ANSWERS) | $INVALID_CPU_US us | per valid request $VALID_CPU_US us (answers $VALID_CPU_ANSWERS) | $(ratio "$INVALID_CPU_US" "$VALID_CPU_US") | (reported) | |
| 5. max RSS through the benchmark | $MAX_RSS MiB | at the end $END_RSS MiB | | < 1024 MiB | $(verdict "$MAX_RSS" 1024 "<") |
| prediction log, rows | $((LOG_SENT_1 - LOG_SENT_0)) sent | $((LOG_DROPPED_1 - LOG_DROPPED_0)) dropped | | (reported) | |
| CPU taken by other processes during each measured run | constant $CONSTANT_OTHERS%, infer $INFER_OTHERS%, naive $NAIVE_OTHERS%, $BIG_ROWS rows $BIG_OTHERS% / naive $BIGNAIVE_OTHERS%, steady $STEADY_OTHERS%, swaps $SWAP_OTHERS% | | | (noise) | |
EOF
