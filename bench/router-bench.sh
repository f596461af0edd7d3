#!/usr/bin/env bash
# Benchmark of the A/B router's prediction path (docs/benchmarks.md), in one run on this machine: what the router costs
# a prediction, against the inference service called directly with the same load.
#   direct: POST /v2/models/iris-species/infer on the inference service (OIP, one row per request)
#   router: the same request, same body, on the router, which assigns each request to a variant of a running A/B test
#           (versions 1 and 2 of iris-species, WEIGHT_1/WEIGHT_2) and forwards it to the inference service with the
#           assigned variant's version. wrk sends no X-Flywheel-Unit header: the router makes up a unit per request, so
#           every request is assigned afresh.
# The phases alternate, direct, router, direct, router, ... (ROUNDS pairs), so that noise from other processes on this
# shared machine shows as a difference between rounds; each phase has its own warm-up, after a JIT warm-up of both
# paths. Reported per phase: requests/s, p50, p99, max, the answers by status and by the version that computed them,
# and the CPU other processes took; per round and over all rounds: router/direct throughput and the p50 and p99
# differences in ms. Any non-2xx answer, timeout or socket error in a phase fails the run, naming the phase (and
# printing the phases measured before it).
# The services run as deployed: a registry in a temporary FLYWHEEL_HOME, iris trained twice (the second time with
# another seed; version 2 gets the alias 'challenger'), the inference service with the launcher's memory settings and
# OMP_NUM_THREADS=1 and its prediction log posting to a local sink that answers 200, and the router from its jar given
# --flywheel.registry.url and --flywheel.inference.url. Everything goes to 127.0.0.1; everything started is stopped on
# exit.
#
# Usage: bench/router-bench.sh
# Parameters (environment), with CI-small defaults: DURATION (each measured wrk run, 10s), WARMUP (the wrk run before
# each measured one, not counted, 10s), CONCURRENCY (wrk connections, 64), THREADS (wrk threads, 2), ROUNDS (direct +
# router pairs, 2), WEIGHT_1 / WEIGHT_2 (the A/B test's weights of versions 1 and 2, 50 / 50), REGISTRY_PORT,
# INFERENCE_PORT, ROUTER_PORT (0, the default: a free port each), HEAP (-Xmx and -Xms of the inference service, 384m),
# SERVICE_OPTS (more JVM options for the inference service), ROUTER_OPTS (JVM options for the router, -Xmx256m).
# A longer run: DURATION=30s WARMUP=20s ROUNDS=3 bench/router-bench.sh
set -euo pipefail

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
CONCURRENCY=${CONCURRENCY:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}
WEIGHT_1=${WEIGHT_1:-50}
WEIGHT_2=${WEIGHT_2:-50}
REGISTRY_PORT=${REGISTRY_PORT:-0}
INFERENCE_PORT=${INFERENCE_PORT:-0}
ROUTER_PORT=${ROUTER_PORT:-0}
HEAP=${HEAP:-384m}
ROUTER_OPTS=${ROUTER_OPTS:--Xmx256m}
MODEL=iris-species
[[ $# == 0 ]] || { echo "usage: $0   (parameters in the environment; see the header of $0)" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive number, not '$ROUNDS'" >&2; exit 2; }
[[ $CONCURRENCY =~ ^[1-9][0-9]*$ ]] || { echo "CONCURRENCY must be a positive number, not '$CONCURRENCY'" >&2; exit 2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REGISTRY_JAR=$ROOT/model-registry/target/model-registry-0.1.0-SNAPSHOT.jar
TRAINING_JAR=$ROOT/training-pipeline/target/training-pipeline-0.1.0-SNAPSHOT.jar
SERVICE_JAR=$ROOT/inference-service/target/inference-service-0.1.0-SNAPSHOT.jar
ROUTER_JAR=$ROOT/ab-router/target/ab-router-0.1.0-SNAPSHOT.jar
LUA=$ROOT/bench/inference-bench.lua  # POSTs a body, counts answers by status and by model_version
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
for tool in curl python3 java; do
  command -v $tool >/dev/null || die "$tool is missing (Debian: apt-get install -y ${tool/java/openjdk-17-jre-headless})"
done
# The jars' modification time is the build's fixed project.build.outputTimestamp (reproducible builds), so sources are
# compared with the time the jar was written (its status change time: -newermc).
stale() {  # JAR MODULE...: true when JAR is missing or older than a source or pom of a module it is built from
  local jar=$1 module
  shift
  [[ -f $jar ]] || return 0
  for module; do
    [[ -n $(find "$ROOT/$module/src/main" "$ROOT/$module/pom.xml" "$ROOT/pom.xml" -newermc "$jar" -print -quit) ]] &&
      return 0
  done
  return 1
}
# A jar left from before the last change would measure old code: build when any is missing or older than its sources.
if stale "$REGISTRY_JAR" model-registry model-bundle service-support ||
  stale "$TRAINING_JAR" training-pipeline model-bundle ||
  stale "$SERVICE_JAR" inference-service model-bundle service-support ||
  stale "$ROUTER_JAR" ab-router model-bundle service-support; then
  log "building the jars (mvn -B -o -q package -DskipTests)"
  (cd "$ROOT" && timeout 1200 mvn -B -o -q package -DskipTests -pl model-registry,training-pipeline,inference-service,ab-router -am) >&2
fi

# --- processes, stopped on exit ---------------------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/router-bench.XXXXXX)
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
    port=$(sed -n 's/.*Netty started on port \([0-9]*\).*/\1/p' "$1" 2>/dev/null | head -1)  # none yet: not opened
    [[ -n $port ]] && { echo "$port"; return; }
    kill -0 "$2" 2>/dev/null || { tail -50 "$1" >&2; die "$(basename "$1" .log) exited"; }
    sleep 0.5
  done
  die "no port in $1 after 120 s"
}
await() {  # URL PID LOG WHAT: until URL answers 2xx (120 s at most)
  for _ in $(seq 1 240); do
    curl -fs --max-time 2 "$1" >/dev/null && return
    kill -0 "$2" 2>/dev/null || { tail -50 "$3" >&2; die "$4 exited"; }
    sleep 0.5
  done
  die "$4: no answer from $1 after 120 s; see $3"
}

# A registry (port 0: the kernel picks a free one).
java -Xmx256m -jar "$REGISTRY_JAR" --server.port="$REGISTRY_PORT" >"$WORK/registry.log" 2>&1 &
PIDS+=($!)
REGISTRY=http://127.0.0.1:$(port_of "$WORK/registry.log" $!)
log "registry up on $REGISTRY, FLYWHEEL_HOME=$FLYWHEEL_HOME"

# Iris twice: version 1 (champion) from examples/iris.yaml, version 2 from a copy with another seed. The second run's
# gate may refuse it against the champion (exit 1): it is registered all the same, and gets the alias 'challenger' here
# so that the inference service holds both versions the A/B test routes to.
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
set_alias() {  # ALIAS VERSION
  curl -fsS --max-time 10 -H 'Content-Type: application/json' -X POST \
    "$REGISTRY/api/2.0/mlflow/registered-models/alias" \
    -d "{\"name\":\"$MODEL\",\"alias\":\"$1\",\"version\":\"$2\"}" >/dev/null || die "could not point $1 at version $2"
}
set_alias champion 1
set_alias challenger 2

# Monitoring's stand-in: answers 200 to every POST (the prediction log's /api/v1/predictions).
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

# The inference service, with the launcher's memory settings (./flywheel, start()).
SERVICE_JAVA_OPTS="-XX:ErrorFile=$WORK/hs_err_pid%p.log -Xms$HEAP -Xmx$HEAP -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m
  -Dorg.bytedeco.javacpp.maxbytes=128m -Dorg.bytedeco.javacpp.maxphysicalbytes=900m ${SERVICE_OPTS:-}"
# shellcheck disable=SC2086 # the options are words
OMP_NUM_THREADS=1 java $SERVICE_JAVA_OPTS -jar "$SERVICE_JAR" --server.port="$INFERENCE_PORT" \
  --flywheel.registry.url="$REGISTRY" --flywheel.monitoring.url="$MONITORING" --flywheel.inference.models=$MODEL \
  >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
PIDS+=($SERVICE_PID)
SERVICE=http://127.0.0.1:$(port_of "$WORK/service.log" $SERVICE_PID)
for version in 1 2; do
  await "$SERVICE/v2/models/$MODEL/versions/$version/ready" $SERVICE_PID "$WORK/service.log" "the inference service"
done
log "inference service up on $SERVICE (pid $SERVICE_PID), serving $MODEL versions 1 and 2"

# The router, from its jar, given the registry and the inference service.
# shellcheck disable=SC2086 # the options are words
FLYWHEEL_HOME=$WORK/router-home java -XX:ErrorFile="$WORK/hs_err_pid%p.log" $ROUTER_OPTS -jar "$ROUTER_JAR" \
  --server.port="$ROUTER_PORT" --flywheel.registry.url="$REGISTRY" --flywheel.inference.url="$SERVICE" \
  --flywheel.inference.models=$MODEL --flywheel.monitoring.url="$MONITORING" >"$WORK/router.log" 2>&1 &
ROUTER_PID=$!
PIDS+=($ROUTER_PID)
ROUTER=http://127.0.0.1:$(port_of "$WORK/router.log" $ROUTER_PID)
await "$ROUTER/actuator/health/readiness" $ROUTER_PID "$WORK/router.log" "the router"
log "router up on $ROUTER (pid $ROUTER_PID)"

# The A/B test the router assigns requests by: versions 1 and 2 of the model (ab-router/README.md, A/B tests API).
AB_TEST=$(curl -sS --max-time 30 -w '\n%{http_code}' -H 'Content-Type: application/json' -X POST \
  "$ROUTER/api/v1/ab-tests" -d "{\"model\":\"$MODEL\",
    \"variants\":[{\"name\":\"v1\",\"version\":1,\"weight\":$WEIGHT_1},{\"name\":\"v2\",\"version\":2,\"weight\":$WEIGHT_2}],
    \"reward\":{\"kind\":\"label\"}}") || die "POST $ROUTER/api/v1/ab-tests failed"
[[ $(tail -1 <<<"$AB_TEST") == 201 ]] || die "the router refused the A/B test: $(tail -1 <<<"$AB_TEST") $(head -n -1 <<<"$AB_TEST")"
AB_TEST_ID=$(head -n -1 <<<"$AB_TEST" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
[[ -n $AB_TEST_ID ]] || die "no id in the router's answer: $AB_TEST"
log "A/B test $AB_TEST_ID running on $MODEL: version 1 (weight $WEIGHT_1) against version 2 (weight $WEIGHT_2)"

# --- load -------------------------------------------------------------------------------------------------------------
ONE=$WORK/one-row.json
echo '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[[5.1,3.5,1.4,0.2]]}]}' >"$ONE"
DIRECT=$SERVICE/v2/models/$MODEL/infer
ROUTED=$ROUTER/v2/models/$MODEL/infer
answer() {  # URL -> "STATUS BODY" of one request with the benchmark's body
  curl -sS --max-time 10 -o "$WORK/answer" -w '%{http_code}' -H 'Content-Type: application/json' -d @"$ONE" "$1" ||
    true
  echo " $(head -c 400 "$WORK/answer" 2>/dev/null)"
}
read -r status body <<<"$(answer "$DIRECT")"
[[ $status == 2?? ]] || die "the inference service answered $status to POST $DIRECT: $body"
read -r status body <<<"$(answer "$ROUTED")"
if [[ $status == 2?? ]]; then
  log "the router answers POST $ROUTED: $status $body"
else
  # Measured all the same: the first router phase then fails with its counts (the direct one before it is reported).
  log "WARNING: the router answers $status to POST $ROUTED ($body): the router phases will fail"
fi

# The share of the machine's CPU that processes other than this benchmark's took between two marks: the whole
# machine's busy time (/proc/stat) less that of the processes started here and of this script's children (wrk, curl).
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

# wrk URL DURATION -> the RESULT line of inference-bench.lua, without "RESULT"
wrk_run() {
  local out
  out=$(WRK_BODY=$ONE timeout 3600 wrk -t"$THREADS" -c"$CONCURRENCY" -d"$2" --timeout 10s -s "$LUA" "$1") ||
    die "wrk failed on $1"
  grep '^RESULT ' <<<"$out" | cut -d' ' -f2-
}
warm_up() {  # URL
  timeout 3600 env WRK_BODY="$ONE" wrk -t"$THREADS" -c"$CONCURRENCY" -d"$WARMUP" --timeout 10s -s "$LUA" "$1" >/dev/null
}

PHASES=()  # "name path url" of each phase measured, in order
ROWS=""    # the report's table rows so far
# measure NAME PATH URL -> a warm-up of WARMUP, then DURATION measured: sets NAME_RPS NAME_P50 NAME_P99 NAME_MAX (ms)
# NAME_BAD (non-2xx answers, timeouts and socket errors) NAME_STATUSES NAME_VERSIONS NAME_OTHERS; fails the run when
# NAME_BAD is not 0.
measure() {
  local name=$1 path=$2 url=$3 requests micros p50 p99 max non2xx timeouts connect read statuses versions mark mark_after
  local bad row
  warm_up "$url"
  cpu_mark mark
  read -r requests micros p50 p99 max non2xx timeouts connect read statuses versions <<<"$(wrk_run "$url" "$DURATION")"
  cpu_mark mark_after
  if [[ -z $requests ]]; then
    kill -0 $SERVICE_PID 2>/dev/null || die "the inference service died during $name"
    kill -0 $ROUTER_PID 2>/dev/null || die "the router died during $name"
    die "no result from wrk on $url"
  fi
  bad=$((non2xx + timeouts + connect + read))
  printf -v "${name}_RPS" '%s' "$(awk -v n="$requests" -v us="$micros" 'BEGIN { printf "%.0f", n / (us / 1e6) }')"
  printf -v "${name}_P50" '%s' "$(awk -v us="$p50" 'BEGIN { printf "%.2f", us / 1000 }')"
  printf -v "${name}_P99" '%s' "$(awk -v us="$p99" 'BEGIN { printf "%.2f", us / 1000 }')"
  printf -v "${name}_MAX" '%s' "$(awk -v us="$max" 'BEGIN { printf "%.2f", us / 1000 }')"
  printf -v "${name}_BAD" '%s' "$bad"
  printf -v "${name}_STATUSES" '%s' "$statuses"
  printf -v "${name}_VERSIONS" '%s' "$versions"
  printf -v "${name}_OTHERS" '%s' "$(others_pct "$mark" "$mark_after")"
  PHASES+=("$name")
  row="| $name | $path | $requests | $(val RPS) | $(val P50) | $(val P99) | $(val MAX) | $non2xx non-2xx, $timeouts timeouts, $((connect + read)) socket errors | $statuses | $versions | $(val OTHERS)% |"
  ROWS+="$row"$'\n'
  log "$name ($path): $requests requests, $(val RPS) req/s, p50 $(val P50) ms, p99 $(val P99) ms, statuses $statuses," \
    "versions $versions, other processes $(val OTHERS)% of the CPU"
  if [[ $bad != 0 ]]; then
    read -r status body <<<"$(answer "$url")"
    table >&2
    die "$name: $non2xx non-2xx answers (statuses $statuses), $timeouts timeouts, $((connect + read)) socket errors on" \
      "POST $url; one request now answers $status: $body"
  fi
}
val() { eval echo "\$${name}_$1"; }  # FIELD of the phase being measured
table() {
  cat <<EOF

| phase | path | requests | req/s | p50 ms | p99 ms | max ms | failed | statuses | answers by version | CPU taken by other processes |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
$ROWS
EOF
}

# --- benchmark -------------------------------------------------------------------------------------------------------
# The JIT first, on both paths, so that the first direct phase is not measured while the router path still compiles.
log "JIT warm-up: $WARMUP on each path"
warm_up "$DIRECT"
warm_up "$ROUTED"
log "$ROUNDS rounds of direct then router: wrk -t$THREADS -c$CONCURRENCY -d$DURATION, each after a $WARMUP warm-up"
for round in $(seq 1 "$ROUNDS"); do
  measure "DIRECT$round" direct "$DIRECT"
  measure "ROUTER$round" router "$ROUTED"
done

# Real assignment: every router phase should have answers from both versions (a reported figure, not a failure).
for round in $(seq 1 "$ROUNDS"); do
  versions=$(eval echo "\$ROUTER${round}_VERSIONS")
  [[ ,$versions == *,1:* && ,$versions == *,2:* ]] ||
    log "WARNING: ROUTER$round's answers came from versions $versions, not from both versions of the A/B test"
done

# --- report ----------------------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f", a - b }'; }
mean() {  # FIELD PATH: the mean of FIELD over the rounds' phases of PATH (DIRECT or ROUTER)
  local round sum=0
  for round in $(seq 1 "$ROUNDS"); do sum=$(awk -v s="$sum" -v v="$(eval echo "\$${2}${round}_$1")" 'BEGIN { print s + v }'); done
  awk -v s="$sum" -v n="$ROUNDS" 'BEGIN { printf "%.2f", s / n }'
}
COMPARISON=""
for round in $(seq 1 "$ROUNDS"); do
  d=DIRECT$round r=ROUTER$round
  COMPARISON+="| round $round | $(ratio "$(eval echo "\$${r}_RPS")" "$(eval echo "\$${d}_RPS")") | $(diff_ms "$(eval echo "\$${r}_P50")" "$(eval echo "\$${d}_P50")") | $(diff_ms "$(eval echo "\$${r}_P99")" "$(eval echo "\$${d}_P99")") |"$'\n'
done
COMPARISON+="| mean of the rounds | $(ratio "$(mean RPS ROUTER)" "$(mean RPS DIRECT)") | $(diff_ms "$(mean P50 ROUTER)" "$(mean P50 DIRECT)") | $(diff_ms "$(mean P99 ROUTER)" "$(mean P99 DIRECT)") |"
cat <<EOF

A/B router against the inference service called directly, $(date -u +%Y-%m-%d) ($(nproc) cores; before the run: load average $LOAD_BEFORE, CPU idle $IDLE_BEFORE%)
POST /v2/models/$MODEL/infer, one row per request, the same body; wrk -t$THREADS -c$CONCURRENCY --timeout 10s, $DURATION per phase after a $WARMUP warm-up (and a $WARMUP JIT warm-up of each path first)
router: A/B test $AB_TEST_ID, version 1 (weight $WEIGHT_1) against version 2 (weight $WEIGHT_2), a new unit per request; java $ROUTER_OPTS
inference service: java $(echo ${SERVICE_JAVA_OPTS#* }), OMP_NUM_THREADS=1
$(table)

| router against direct | throughput ratio (router / direct) | p50 difference, ms (router - direct) | p99 difference, ms |
| --- | --- | --- | --- |
$COMPARISON
EOF
