#!/usr/bin/env bash
# Benchmark for docs/scaling.md: the inference service's throughput with one replica and with two, on this machine, in
# one run. Both replicas run from the start (the same registry, iris trained once, each its own prediction log posting
# to a local sink that answers 200), so that starting one costs nothing during a phase:
#   one: wrk -t$THREADS -c$CONCURRENCY on replica A alone; B idles
#   two: two wrk processes at once, -t1 -c$((CONCURRENCY / 2)) each, one on A and one on B (what a balancer that
#        spreads connections evenly gives); the throughput is their sum, the p50/p99 the worse of the two
# The phases alternate, one, two, one, two, ... (ROUNDS pairs), each after its own WARMUP run, after a JIT warm-up of
# both replicas. Reported: requests/s, p50, p99 and the answers by status per phase; per round and over the rounds the
# throughput ratio two / one. Any non-2xx answer, timeout or socket error fails the run.
#
# Usage: bench/scaling-bench.sh
# Parameters (environment): DURATION (10s), WARMUP (10s), CONCURRENCY (64, even), THREADS (2), ROUNDS (2), HEAP (each
# replica's heap, 384m).
set -euo pipefail

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
CONCURRENCY=${CONCURRENCY:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}
HEAP=${HEAP:-384m}
MODEL=iris-species
[[ $# == 0 ]] || { echo "usage: $0   (parameters in the environment; see the header of $0)" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive number, not '$ROUNDS'" >&2; exit 2; }
[[ $CONCURRENCY =~ ^[1-9][0-9]*$ ]] && ((CONCURRENCY % 2 == 0)) ||
  { echo "CONCURRENCY must be an even positive number, not '$CONCURRENCY'" >&2; exit 2; }

. "$(dirname "$0")/lib.sh"

need_wrk
need_tools curl python3 java
ensure_jars model-registry training-pipeline inference-service

make_workdir scaling-bench
note_machine_load

start_registry 0 -Xmx256m
log "registry up on $REGISTRY"
train "$ROOT/examples/iris.yaml"
start_sink
SERVICE_LOG=replica-a start_service 0
A=$SERVICE A_PID=$SERVICE_PID
SERVICE_LOG=replica-b start_service 0
B=$SERVICE B_PID=$SERVICE_PID
await "$A/v2/models/$MODEL/ready" $A_PID "$WORK/replica-a.log" "replica A"
await "$B/v2/models/$MODEL/ready" $B_PID "$WORK/replica-b.log" "replica B"
log "replica A on $A (pid $A_PID), replica B on $B (pid $B_PID)"

ONE=$WORK/one-row.json
echo '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[[5.1,3.5,1.4,0.2]]}]}' >"$ONE"
PATH_INFER=/v2/models/$MODEL/infer

ROWS=""
check() {  # NAME RESULT: fails the run on any failed request
  local non2xx timeouts connect read statuses
  read -r _ _ _ _ _ non2xx timeouts connect read statuses _ <<<"$2"
  (( non2xx + timeouts + connect + read == 0 )) ||
    die "$1: $non2xx non-2xx ($statuses), $timeouts timeouts, $((connect + read)) socket errors"
}
rps() { awk -v n="$1" -v us="$2" 'BEGIN { printf "%.0f", n / (us / 1e6) }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

one() {  # ROUND
  local result requests micros p50 p99
  warm_up "$ONE" "$A$PATH_INFER" "$CONCURRENCY"
  result=$(wrk_run "$ONE" "$A$PATH_INFER" "$DURATION" "$CONCURRENCY")
  check "one replica, round $1" "$result"
  read -r requests micros p50 p99 _ <<<"$result"
  printf -v "ONE_$1" '%s' "$(rps "$requests" "$micros")"
  ROWS+="| $1 | one replica | $(eval echo "\$ONE_$1") | $(ms "$p50") | $(ms "$p99") |"$'\n'
  log "round $1, one replica: $(eval echo "\$ONE_$1") req/s, p50 $(ms "$p50") ms, p99 $(ms "$p99") ms"
}

two() {  # ROUND
  local half=$((CONCURRENCY / 2)) a b ra ma pa qa rb mb pb qb
  local other  # the wrk run on A, in the background (a bare 'wait' would wait for the services too)
  THREADS=1 warm_up "$ONE" "$A$PATH_INFER" "$half" &
  other=$!
  THREADS=1 warm_up "$ONE" "$B$PATH_INFER" "$half"
  wait $other
  THREADS=1 wrk_run "$ONE" "$A$PATH_INFER" "$DURATION" "$half" >"$WORK/two-a" &
  other=$!
  THREADS=1 wrk_run "$ONE" "$B$PATH_INFER" "$DURATION" "$half" >"$WORK/two-b"
  wait $other || die "wrk failed on replica A"
  a=$(cat "$WORK/two-a") b=$(cat "$WORK/two-b")
  check "two replicas (A), round $1" "$a"
  check "two replicas (B), round $1" "$b"
  read -r ra ma pa qa _ <<<"$a"
  read -r rb mb pb qb _ <<<"$b"
  printf -v "TWO_$1" '%s' "$(awk -v x="$(rps "$ra" "$ma")" -v y="$(rps "$rb" "$mb")" 'BEGIN { print x + y }')"
  ROWS+="| $1 | two replicas (A $(rps "$ra" "$ma") + B $(rps "$rb" "$mb")) | $(eval echo "\$TWO_$1") | $(ms "$((pa > pb ? pa : pb))") | $(ms "$((qa > qb ? qa : qb))") |"$'\n'
  log "round $1, two replicas: $(eval echo "\$TWO_$1") req/s (A $(rps "$ra" "$ma"), B $(rps "$rb" "$mb"))"
}

log "JIT warm-up: $WARMUP on each replica"
warm_up "$ONE" "$A$PATH_INFER" "$CONCURRENCY"
warm_up "$ONE" "$B$PATH_INFER" "$CONCURRENCY"
for round in $(seq 1 "$ROUNDS"); do
  one "$round"
  two "$round"
done

RATIOS=""
sum_one=0 sum_two=0
for round in $(seq 1 "$ROUNDS"); do
  RATIOS+="| round $round | $(ratio "$(eval echo "\$TWO_$round")" "$(eval echo "\$ONE_$round")") |"$'\n'
  sum_one=$((sum_one + $(eval echo "\$ONE_$round"))) sum_two=$((sum_two + $(eval echo "\$TWO_$round")))
done
RATIOS+="| mean of the rounds | $(ratio "$sum_two" "$sum_one") |"
cat <<EOF

Inference replicas, $(date -u +%Y-%m-%d) ($(nproc) cores; before the run: load average $LOAD_BEFORE, CPU idle $IDLE_BEFORE%)
POST $PATH_INFER, one row per request; $DURATION per phase after a $WARMUP warm-up; CONCURRENCY $CONCURRENCY in all
each replica: java $(echo ${SERVICE_JAVA_OPTS#* }), OMP_NUM_THREADS=1

| round | phase | req/s | p50 ms | p99 ms |
| --- | --- | --- | --- | --- |
$ROWS
| throughput two replicas / one | ratio |
| --- | --- |
$RATIOS
EOF
