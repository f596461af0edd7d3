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
# Under that closed loop on a saturated machine, the p50 difference is mostly queueing: the router's own CPU lowers the
# throughput of both processes, and every request waits longer. What the router adds to one request is measured apart,
# after the closed-loop rounds: a paced load from PACED_CONNECTIONS connections, each waiting a random time (THINK_MS
# on average) before each request, that both paths serve easily, direct then router, ROUNDS times; reported per phase:
# requests/s served, p50, p99, max and the answers by status; per round and over the rounds: the router - direct
# differences at p50 and p99 in ms. Any non-2xx answer, timeout or socket error in a paced phase fails the run too.
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
# SERVICE_OPTS (more JVM options for the inference service), ROUTER_OPTS (JVM options for the router, -Xmx256m),
# PACED_CONNECTIONS (wrk's connections in the paced phases, 8), THINK_MS (the mean wait of each before each request,
# exponentially distributed, 20: about 8 / 21 ms = 380 requests/s in all); the paced phases last DURATION each.
# A run worth quoting (the router's JIT compiles for minutes): DURATION=15s WARMUP=45s ROUNDS=4 bench/router-bench.sh
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
THINK_MS=${THINK_MS:-20}
PACED_CONNECTIONS=${PACED_CONNECTIONS:-8}
MODEL=iris-species
[[ $# == 0 ]] || { echo "usage: $0   (parameters in the environment; see the header of $0)" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive number, not '$ROUNDS'" >&2; exit 2; }
[[ $CONCURRENCY =~ ^[1-9][0-9]*$ ]] || { echo "CONCURRENCY must be a positive number, not '$CONCURRENCY'" >&2; exit 2; }
[[ $PACED_CONNECTIONS =~ ^[1-9][0-9]*$ ]] ||
  { echo "PACED_CONNECTIONS must be a positive number, not '$PACED_CONNECTIONS'" >&2; exit 2; }
[[ $THINK_MS =~ ^[1-9][0-9]*$ ]] || { echo "THINK_MS must be a positive number of ms, not '$THINK_MS'" >&2; exit 2; }

# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

# --- tools and jars -------------------------------------------------------------------------------------------------
need_wrk
need_tools curl python3 java
ensure_jars model-registry training-pipeline inference-service ab-router

# --- processes, stopped on exit ---------------------------------------------------------------------------------------
make_workdir router-bench
note_machine_load

# A registry (port 0: the kernel picks a free one).
start_registry "$REGISTRY_PORT" -Xmx256m
log "registry up on $REGISTRY, FLYWHEEL_HOME=$FLYWHEEL_HOME"

# Iris twice (lib.sh): version 1 (champion) and version 2, from a copy with another seed, which gets the alias
# 'challenger' here so that the inference service holds both versions the A/B test routes to.
train_iris_twice
set_alias() {  # ALIAS VERSION
  curl -fsS --max-time 10 -H 'Content-Type: application/json' -X POST \
    "$REGISTRY/api/2.0/mlflow/registered-models/alias" \
    -d "{\"name\":\"$MODEL\",\"alias\":\"$1\",\"version\":\"$2\"}" >/dev/null || die "could not point $1 at version $2"
}
set_alias champion 1
set_alias challenger 2

# Monitoring's stand-in (answers 200 to the prediction log's POSTs), and the inference service with the launcher's
# memory settings (./flywheel, start()).
start_sink
start_service "$INFERENCE_PORT"
for version in 1 2; do
  await "$SERVICE/v2/models/$MODEL/versions/$version/ready" $SERVICE_PID "$WORK/service.log" "the inference service"
done
log "inference service up on $SERVICE (pid $SERVICE_PID), serving $MODEL versions 1 and 2"

# The router, from its jar, given the registry and the inference service.
# shellcheck disable=SC2086 # the options are words
FLYWHEEL_HOME=$WORK/router-home java -XX:ErrorFile="$WORK/hs_err_pid%p.log" $ROUTER_OPTS -jar "$(jar_of ab-router)" \
  --server.port="$ROUTER_PORT" --flywheel.registry.url="$REGISTRY" --flywheel.inference.url="$SERVICE" \
  --flywheel.inference.models=$MODEL --flywheel.monitoring.url="$MONITORING" --flywheel.router.bench-endpoints=true \
  >"$WORK/router.log" 2>&1 &
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
# The baselines in the router's process: forwarding alone, with the router's client, no assignment, records or
# reading; on Reactor Netty as the prediction paths are, and on WebFlux (the naive design)
NETTY_FORWARDED=$ROUTER/bench/forward/netty/v2/models/$MODEL/infer
WEBFLUX_FORWARDED=$ROUTER/bench/forward/webflux/v2/models/$MODEL/infer
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

ROWS=""    # the report's table rows so far
# run_phase NAME URL CONNECTIONS THINK_MS -> DURATION of wrk on URL (a closed loop when THINK_MS is empty; else each
# connection waits THINK_MS on average before each request): sets NAME_REQUESTS NAME_RPS NAME_P50 NAME_P99 NAME_MAX
# (ms) NAME_FAILED (as the tables print it) NAME_BAD (non-2xx answers, timeouts and socket errors) NAME_STATUSES
# NAME_VERSIONS NAME_OTHERS
run_phase() {
  local name=$1 url=$2 requests micros p50 p99 max non2xx timeouts connect read statuses versions mark mark_after
  cpu_mark mark
  read -r requests micros p50 p99 max non2xx timeouts connect read statuses versions \
    <<<"$(WRK_THINK_MS=$4 wrk_run "$ONE" "$url" "$DURATION" "$3")"
  cpu_mark mark_after
  if [[ -z $requests ]]; then
    kill -0 $SERVICE_PID 2>/dev/null || die "the inference service died during $name"
    kill -0 $ROUTER_PID 2>/dev/null || die "the router died during $name"
    die "no result from wrk on $url"
  fi
  printf -v "${name}_REQUESTS" '%s' "$requests"
  printf -v "${name}_RPS" '%s' "$(awk -v n="$requests" -v us="$micros" 'BEGIN { printf "%.0f", n / (us / 1e6) }')"
  printf -v "${name}_P50" '%s' "$(awk -v us="$p50" 'BEGIN { printf "%.2f", us / 1000 }')"
  printf -v "${name}_P99" '%s' "$(awk -v us="$p99" 'BEGIN { printf "%.2f", us / 1000 }')"
  printf -v "${name}_MAX" '%s' "$(awk -v us="$max" 'BEGIN { printf "%.2f", us / 1000 }')"
  printf -v "${name}_FAILED" '%s' "$non2xx non-2xx, $timeouts timeouts, $((connect + read)) socket errors"
  printf -v "${name}_BAD" '%s' "$((non2xx + timeouts + connect + read))"
  printf -v "${name}_STATUSES" '%s' "$statuses"
  printf -v "${name}_VERSIONS" '%s' "$versions"
  printf -v "${name}_OTHERS" '%s' "$(others_pct "$mark" "$mark_after")"
}
# measure NAME PATH URL -> a warm-up of WARMUP, then DURATION measured (run_phase, closed loop); fails the run when
# NAME_BAD is not 0
measure() {
  local name=$1 path=$2 url=$3 status body
  warm_up "$ONE" "$url" "$CONCURRENCY"
  run_phase "$name" "$url" "$CONCURRENCY" ""
  ROWS+="| $name | $path | $(val REQUESTS) | $(val RPS) | $(val P50) | $(val P99) | $(val MAX) | $(val FAILED) | $(val STATUSES) | $(val VERSIONS) | $(val OTHERS)% |"$'\n'
  log "$name ($path): $(val REQUESTS) requests, $(val RPS) req/s, p50 $(val P50) ms, p99 $(val P99) ms," \
    "statuses $(val STATUSES), versions $(val VERSIONS), other processes $(val OTHERS)% of the CPU"
  if [[ $(val BAD) != 0 ]]; then
    read -r status body <<<"$(answer "$url")"
    table >&2
    die "$name: $(val FAILED) (statuses $(val STATUSES)) on POST $url; one request now answers $status: $body"
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
warm_up "$ONE" "$DIRECT" "$CONCURRENCY"
warm_up "$ONE" "$ROUTED" "$CONCURRENCY"
warm_up "$ONE" "$WEBFLUX_FORWARDED" "$CONCURRENCY"
warm_up "$ONE" "$NETTY_FORWARDED" "$CONCURRENCY"
log "$ROUNDS rounds of direct, forwarding alone (Reactor Netty, then WebFlux), then router: wrk -t$THREADS -c$CONCURRENCY -d$DURATION, each after a $WARMUP warm-up"
for round in $(seq 1 "$ROUNDS"); do
  measure "DIRECT$round" direct "$DIRECT"
  measure "NETTYFORWARD$round" forward-netty "$NETTY_FORWARDED"
  measure "WEBFLUXFORWARD$round" forward-webflux "$WEBFLUX_FORWARDED"
  measure "ROUTER$round" router "$ROUTED"
done

# Real assignment: every router phase should have answers from both versions (a reported figure, not a failure).
for round in $(seq 1 "$ROUNDS"); do
  versions=$(eval echo "\$ROUTER${round}_VERSIONS")
  [[ ,$versions == *,1:* && ,$versions == *,2:* ]] ||
    log "WARNING: ROUTER$round's answers came from versions $versions, not from both versions of the A/B test"
done

# --- paced latency ---------------------------------------------------------------------------------------------------
# What the router adds to one request, without the queueing of the closed loop: PACED_CONNECTIONS connections, each
# waiting a random time before each of its requests (exponentially distributed, THINK_MS on average: independent
# users, whose requests arrive spread out, not together), a moderate load that both paths serve easily; the same body,
# direct then router, ROUNDS times. (Not hey -q: its workers' tickers start together, so its "paced" load is a burst
# of all its connections at once every 1/q s, and a burst's queueing is what its percentiles measure.)
PACED_ROWS=""  # the paced table's rows so far
paced_table() {
  cat <<EOF

| paced phase | path | requests | req/s | p50 ms | p99 ms | max ms | statuses | failed | CPU taken by other processes |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
$PACED_ROWS
EOF
}
# paced NAME PATH URL -> DURATION of paced load (run_phase, THINK_MS); fails the run when NAME_BAD is not 0
paced() {
  local name=$1 path=$2 url=$3
  run_phase "$name" "$url" "$PACED_CONNECTIONS" "$THINK_MS"
  PACED_ROWS+="| $name | $path | $(val REQUESTS) | $(val RPS) | $(val P50) | $(val P99) | $(val MAX) | $(val STATUSES) | $(val FAILED) | $(val OTHERS)% |"$'\n'
  log "$name ($path, paced): $(val REQUESTS) requests, $(val RPS) req/s, p50 $(val P50) ms, p99 $(val P99) ms," \
    "statuses $(val STATUSES), other processes $(val OTHERS)% of the CPU"
  if [[ $(val BAD) != 0 ]]; then
    table >&2
    paced_table >&2
    die "$name: paced load on POST $url: $(val FAILED) (statuses $(val STATUSES))"
  fi
}
log "paced latency: $ROUNDS rounds of direct then router, wrk -t$THREADS -c$PACED_CONNECTIONS -d$DURATION, each" \
  "connection waiting $THINK_MS ms on average before each request"
for round in $(seq 1 "$ROUNDS"); do
  paced "PACEDDIRECT$round" direct "$DIRECT"
  paced "PACEDROUTER$round" router "$ROUTED"
done

# --- report ----------------------------------------------------------------------------------------------------------
mean() {  # FIELD PATH: the mean of FIELD over the rounds' phases of PATH (DIRECT, ROUTER, PACEDDIRECT, PACEDROUTER)
  local round sum=0
  for round in $(seq 1 "$ROUNDS"); do sum=$(awk -v s="$sum" -v v="$(eval echo "\$${2}${round}_$1")" 'BEGIN { print s + v }'); done
  awk -v s="$sum" -v n="$ROUNDS" 'BEGIN { printf "%.2f", s / n }'
}
COMPARISON=""
for round in $(seq 1 "$ROUNDS"); do
  d=DIRECT$round r=ROUTER$round f=WEBFLUXFORWARD$round w=NETTYFORWARD$round
  COMPARISON+="| round $round | $(ratio "$(eval echo "\$${r}_RPS")" "$(eval echo "\$${d}_RPS")") | $(ratio "$(eval echo "\$${f}_RPS")" "$(eval echo "\$${d}_RPS")") | $(ratio "$(eval echo "\$${w}_RPS")" "$(eval echo "\$${d}_RPS")") | $(diff_ms "$(eval echo "\$${r}_P50")" "$(eval echo "\$${d}_P50")") | $(diff_ms "$(eval echo "\$${r}_P99")" "$(eval echo "\$${d}_P99")") |"$'\n'
done
PACED_COMPARISON=""
for round in $(seq 1 "$ROUNDS"); do
  d=PACEDDIRECT$round r=PACEDROUTER$round
  PACED_COMPARISON+="| round $round | $(diff_ms "$(eval echo "\$${r}_P50")" "$(eval echo "\$${d}_P50")") | $(diff_ms "$(eval echo "\$${r}_P99")" "$(eval echo "\$${d}_P99")") |"$'\n'
done
PACED_COMPARISON+="| mean of the rounds | $(diff_ms "$(mean P50 PACEDROUTER)" "$(mean P50 PACEDDIRECT)") | $(diff_ms "$(mean P99 PACEDROUTER)" "$(mean P99 PACEDDIRECT)") |"
COMPARISON+="| mean of the rounds | $(ratio "$(mean RPS ROUTER)" "$(mean RPS DIRECT)") | $(ratio "$(mean RPS WEBFLUXFORWARD)" "$(mean RPS DIRECT)") | $(ratio "$(mean RPS NETTYFORWARD)" "$(mean RPS DIRECT)") | $(diff_ms "$(mean P50 ROUTER)" "$(mean P50 DIRECT)") | $(diff_ms "$(mean P99 ROUTER)" "$(mean P99 DIRECT)") |"
cat <<EOF

A/B router against the inference service called directly, $(date -u +%Y-%m-%d) ($(nproc) cores; before the run: load average $LOAD_BEFORE, CPU idle $IDLE_BEFORE%)
POST /v2/models/$MODEL/infer, one row per request, the same body; wrk -t$THREADS -c$CONCURRENCY --timeout 10s, $DURATION per phase after a $WARMUP warm-up (and a $WARMUP JIT warm-up of each path first)
router: A/B test $AB_TEST_ID, version 1 (weight $WEIGHT_1) against version 2 (weight $WEIGHT_2), a new unit per request; java $ROUTER_OPTS
inference service: java $(echo ${SERVICE_JAVA_OPTS#* }), OMP_NUM_THREADS=1
$(table)

| router against direct | throughput ratio (router / direct) | forwarding alone on WebFlux / direct | forwarding alone on Reactor Netty / direct | p50 difference, ms (router - direct) | p99 difference, ms |
| --- | --- | --- | --- | --- | --- |
$COMPARISON

Paced latency: wrk -t$THREADS -c$PACED_CONNECTIONS -d$DURATION --timeout 10s, each connection waiting an exponentially distributed time of $THINK_MS ms on average before each request (bench/inference-bench.lua, WRK_THINK_MS), the same body, direct then router, $ROUNDS rounds, after the closed-loop rounds
$(paced_table)

| router against direct, paced | p50 difference, ms (router - direct) | p99 difference, ms |
| --- | --- | --- |
$PACED_COMPARISON
EOF
