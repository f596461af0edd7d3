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

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REGISTRY_JAR=$ROOT/model-registry/target/model-registry-0.1.0-SNAPSHOT.jar
TRAINING_JAR=$ROOT/training-pipeline/target/training-pipeline-0.1.0-SNAPSHOT.jar
SERVICE_JAR=$ROOT/inference-service/target/inference-service-0.1.0-SNAPSHOT.jar
LUA=$ROOT/bench/inference-bench.lua
log() { echo "[bench] $*" >&2; }
die() { log "error: $*"; exit 1; }

# --- tools and jars -------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "installing wrk (apt-get install -y wrk)"
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } || true
  fi
  command -v wrk >/dev/null || die "wrk is missing: install it with 'apt-get install -y wrk' (Debian, Ubuntu) or \
'brew install wrk' (macOS), or build it from https://github.com/wg/wrk"
fi
if ! command -v hey >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  log "installing hey (apt-get install -y hey)"
  apt-get install -y -qq hey >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hey >/dev/null; } || true
fi
command -v hey >/dev/null || die "hey is missing: install it with 'apt-get install -y hey' (Debian, Ubuntu) or \
'brew install hey' (macOS)"
for tool in curl python3 java; do
  command -v $tool >/dev/null || die "$tool is missing (Debian: apt-get install -y ${tool/java/openjdk-17-jre-headless})"
done
stale() {  # JAR MODULE...: true when JAR is missing or older than a source or pom of a module it is built from
  local jar=$1 module
  shift
  [[ -f $jar ]] || return 0
  for module; do
    [[ -n $(find "$ROOT/$module/src/main" "$ROOT/$module/pom.xml" "$ROOT/pom.xml" -newer "$jar" -print -quit) ]] && return 0
  done
  return 1
}
# A jar left from before the last change would measure old code: build when any is missing or older than its sources.
if stale "$REGISTRY_JAR" model-registry model-bundle || stale "$TRAINING_JAR" training-pipeline model-bundle ||
  stale "$SERVICE_JAR" inference-service model-bundle; then
  log "building the jars (mvn -B -o -q package -DskipTests)"
  (cd "$ROOT" && timeout 1200 mvn -B -o -q package -DskipTests -pl model-registry,training-pipeline,inference-service -am)
fi

# --- processes, stopped on exit ---------------------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/inference-bench.XXXXXX)
export FLYWHEEL_HOME=$WORK/home
mkdir -p "$FLYWHEEL_HOME"
PIDS=()
stop() {  # PID: TERM, then KILL after 20 s
  if kill -0 "$1" 2>/dev/null; then
    kill "$1" 2>/dev/null || true
    timeout 20 tail --pid="$1" -f /dev/null || kill -9 "$1" 2>/dev/null || true
  fi
}
cleanup() {  # EXIT_STATUS: a failed run keeps its logs (and a JVM crash file, if any) for a look
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop "${PIDS[i]}"; done
  if [[ $1 == 0 ]]; then
    rm -rf "$WORK"
  else
    rm -rf "$WORK/home"
    log "failed: the logs are kept in $WORK"
  fi
}
trap 'cleanup $?' EXIT
trap 'exit 130' INT TERM

# Shared machine: note how busy it was just before (1-minute load average, CPU idle % over one second).
LOAD_BEFORE=$(uptime | sed 's/.*load average: //; s/,.*//')
IDLE_BEFORE=$(vmstat 1 2 | awk 'END { print $15 }')
log "before the run: load average $LOAD_BEFORE, CPU idle $IDLE_BEFORE%"

port_of() {  # LOG PID: the port in Spring Boot's "Netty started on port N", once it is there
  local port
  for _ in $(seq 1 240); do
    port=$(sed -n 's/.*Netty started on port \([0-9]*\).*/\1/p' "$1" | head -1)
    [[ -n $port ]] && { echo "$port"; return; }
    kill -0 "$2" 2>/dev/null || { tail -50 "$1" >&2; die "$(basename "$1" .log) exited"; }
    sleep 0.5
  done
  die "no port in $1 after 120 s"
}

# A registry: server.port=0 lets the kernel pick a free port.
java -Xmx256m -jar "$REGISTRY_JAR" --server.port=0 >"$WORK/registry.log" 2>&1 &
PIDS+=($!)
REGISTRY=http://127.0.0.1:$(port_of "$WORK/registry.log" $!)
log "registry up on $REGISTRY, FLYWHEEL_HOME=$FLYWHEEL_HOME"

# Iris twice: version 1 (champion) from examples/iris.yaml, version 2 from a copy with another seed. The second run's
# gate may refuse it against the champion (exit 1): it is registered all the same, without an alias.
train() {
  local rc=0
  OMP_NUM_THREADS=1 timeout 600 java -jar "$TRAINING_JAR" train --spec "$1" --registry "$REGISTRY" \
    >>"$WORK/training.log" 2>&1 || rc=$?
  [[ $rc == 0 || $rc == 1 ]] || { tail -30 "$WORK/training.log" >&2; die "training $1 failed (exit $rc)"; }
}
log "training $MODEL twice"
train "$ROOT/examples/iris.yaml"
sed -e 's/^seed: .*/seed: 7/' -e "s#path: \.\./datasets/#path: $ROOT/datasets/#" "$ROOT/examples/iris.yaml" \
  >"$WORK/iris-seed7.yaml"
grep -q '^seed: 7' "$WORK/iris-seed7.yaml" || die "no seed line to change in examples/iris.yaml"
train "$WORK/iris-seed7.yaml"
grep -q "Model $MODEL version 2" "$WORK/training.log" || { cat "$WORK/training.log" >&2; die "no version 2"; }

# Monitoring's stand-in: answers 200 to every POST (the prediction log's /api/v1/predictions) and counts them.
cat >"$WORK/sink.py" <<'EOF'
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200 if self.path == "/api/v1/predictions" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
print(server.server_port, flush=True)
server.serve_forever()
EOF
python3 "$WORK/sink.py" >"$WORK/sink.port" 2>"$WORK/sink.log" &
PIDS+=($!)
for _ in $(seq 1 50); do [[ -s $WORK/sink.port ]] && break; sleep 0.1; done
MONITORING=http://127.0.0.1:$(cat "$WORK/sink.port")

# The service, with its memory bounded: a fixed heap, and javacpp's limits on ND4J's off-heap buffers (maxbytes) and
# on the whole process (maxphysicalbytes: heap + native, what RSS measures; see shared/reference/dl4j.md, memory).
SERVICE_JAVA_OPTS="-XX:ErrorFile=$WORK/hs_err_pid%p.log -Xms$HEAP -Xmx$HEAP -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m
  -Dorg.bytedeco.javacpp.maxbytes=$JAVACPP_MAXBYTES -Dorg.bytedeco.javacpp.maxphysicalbytes=$JAVACPP_MAXPHYSICALBYTES
  ${SERVICE_OPTS:-}"
# shellcheck disable=SC2086 # the options are words
OMP_NUM_THREADS=1 java $SERVICE_JAVA_OPTS -jar "$SERVICE_JAR" --server.port=0 --flywheel.registry.url="$REGISTRY" \
  --flywheel.monitoring.url="$MONITORING" --flywheel.inference.models=$MODEL --flywheel.inference.bench-endpoints=true \
  >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
PIDS+=($SERVICE_PID)
SERVICE=http://127.0.0.1:$(port_of "$WORK/service.log" $SERVICE_PID)
for _ in $(seq 1 240); do
  curl -fs --max-time 2 "$SERVICE/v2/models/$MODEL/ready" >/dev/null && break
  kill -0 $SERVICE_PID 2>/dev/null || { tail -50 "$WORK/service.log" >&2; die "the service exited"; }
  sleep 0.5
done
curl -fs --max-time 2 "$SERVICE/v2/models/$MODEL/ready" >/dev/null || die "$MODEL not ready after 120 s"
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

# The share of the machine's CPU that processes other than this benchmark's took between two marks: the whole
# machine's busy time (/proc/stat) less the service's, the registry's, the sink's and this script's children's (wrk,
# curl: bash's 'times'). On this shared machine, other work now and then takes a core or both; this says when it did.
jiffies() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_mark() {  # VAR: sets VAR to "busy_jiffies all_jiffies ours_jiffies"; runs in this shell, for 'times' to see wrk
  local ours=0 pid children
  for pid in "${PIDS[@]}"; do ours=$((ours + $(jiffies "$pid"))); done
  times >"$WORK/times"
  children=$(awk 'END { n = 0; for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); n += t[1] * 60 + t[2] }
    printf "%.0f", n * 100 }' "$WORK/times")
  printf -v "$1" '%s' "$(awk -v ours=$((ours + children)) '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9;
    print busy, busy + $5 + $6, ours }' /proc/stat)"
}
others_pct() {  # MARK_BEFORE MARK_AFTER -> percent of the machine
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); all = y[2] - x[2];
    other = (y[1] - x[1]) - (y[3] - x[3]); if (other < 0) other = 0; printf "%.0f", (all > 0 ? 100 * other / all : 0) }'
}

# wrk BODY URL DURATION CONNECTIONS -> the RESULT line of inference-bench.lua, without "RESULT"
wrk_run() {
  local out
  out=$(WRK_BODY=$1 timeout 3600 wrk -t"$THREADS" -c"$4" -d"$3" --timeout 10s -s "$LUA" "$2") || die "wrk failed on $2"
  grep '^RESULT ' <<<"$out" | cut -d' ' -f2-
}
# measure NAME BODY URL CONNECTIONS [DURATION [nowarmup]] -> sets NAME_RPS NAME_P50 NAME_P99 NAME_MAX (ms) NAME_NON2XX
# NAME_TIMEOUTS NAME_ERRORS NAME_STATUSES NAME_VERSIONS NAME_BATCH (mean rows per model call, batched path only) and
# NAME_OTHERS (percent of the machine's CPU other processes took meanwhile).
# A warm-up run of WARMUP comes first and is not counted, unless the 6th argument is "nowarmup".
warm_up() {  # BODY URL CONNECTIONS
  timeout 3600 env WRK_BODY="$1" wrk -t"$THREADS" -c"$3" -d"$WARMUP" --timeout 10s -s "$LUA" "$2" >/dev/null
}
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
seconds() { awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /ms$/) n /= 1000; else if (d ~ /m$/) n *= 60; else if (d ~ /h$/) n *= 3600; print n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == "<") ? v < t : (op == "=") ? v == t : v >= t;
  print ok ? "met" : "MISSED" }'; }
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
  # hey's "Status code distribution:" lines, "  [200]\t12345 responses", as 200:12345,...; and its requests/s
  printf -v "${1}_SIDE" '%s' "$(awk '/^Status code distribution:/ { on = 1; next } on && /\[[0-9]+\]/ {
    gsub(/[][]/, "", $1); s = s (s ? "," : "") $1 ":" $2; next } on { on = 0 } END { print s ? s : "-" }' "$WORK/side-$1")"
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
  answers=$(awk '/^Status code distribution:/ { on = 1; next } on && /\[[0-9]+\]/ { gsub(/[][]/, "", $1);
    s = s (s ? "," : "") $1 ":" $2; next } on { on = 0 } END { print s ? s : "-" }' "$WORK/cpu-$1")
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
