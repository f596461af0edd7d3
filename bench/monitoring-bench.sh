#!/usr/bin/env bash
# Benchmark of monitoring's ingestion (docs/benchmarks.md, "Monitoring"): prediction-log rows stored per second with
# drift kept current, and what judging a version's drift window costs as the window grows 10x and 100x.
#   wrk POSTs the inference service's prediction log (POST /api/v1/predictions) to monitoring: each request one record
#   of ROWS rows of iris-like features with fresh prediction ids (bench/monitoring-ingest.lua), CONCURRENCY
#   connections, for DURATION. Monitoring judges every version's window each second (drift-interval 1s; the window,
#   one hour, holds everything posted), reading version 1's reference profile from a registry where iris was trained
#   once. A poller reads GET /api/v1/models/iris-species/drift every second: the window's rows and how long summing
#   and judging it took (evaluation_ms).
# Reported: requests by status (200 stored, 503 shed), rows stored per second (monitoring's
# flywheel_monitoring_ingested_rows_total), rows shed, the number of drift judgements during the load, and the
# judgement time when the window held about R, 10R and 100R rows (R: the first sample's rows), with the time a
# naive design would take (the window's raw values sorted for a two-sample KS test, measured here on the same machine
# with numpy when python3 has it, else not shown).
#
# Usage: bench/monitoring-bench.sh
# Parameters (environment): DURATION (120s), ROWS (rows per request, 32), CONCURRENCY (8), THREADS (wrk threads, 2),
# MONITORING_OPTS (JVM options of monitoring, -Xmx512m).
set -euo pipefail

DURATION=${DURATION:-120s}
ROWS=${ROWS:-32}
CONCURRENCY=${CONCURRENCY:-8}
THREADS=${THREADS:-2}
MONITORING_OPTS=${MONITORING_OPTS:--Xmx512m}
MODEL=iris-species
[[ $# == 0 ]] || { echo "usage: $0   (parameters in the environment; see the header of $0)" >&2; exit 2; }
[[ $ROWS =~ ^[1-9][0-9]*$ ]] || { echo "ROWS must be a positive number, not '$ROWS'" >&2; exit 2; }

# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_wrk
need_tools curl python3 java
ensure_jars model-registry training-pipeline monitoring

make_workdir monitoring-bench
note_machine_load
start_registry 0 -Xmx256m
log "registry up on $REGISTRY"
log "training $MODEL once"
train "$ROOT/examples/iris.yaml"

# shellcheck disable=SC2086 # the options are words
FLYWHEEL_HOME=$WORK/monitoring-home java -XX:ErrorFile="$WORK/hs_err_pid%p.log" $MONITORING_OPTS \
  -jar "$(jar_of monitoring)" --server.port=0 --flywheel.registry.url="$REGISTRY" \
  --flywheel.router.url=http://127.0.0.1:9 --flywheel.monitoring.drift-interval=1s \
  --flywheel.monitoring.retraining.triggers.drift=false --flywheel.monitoring.retraining.triggers.quality=false \
  >"$WORK/monitoring.log" 2>&1 &
MONITORING_PID=$!
PIDS+=($MONITORING_PID)
MONITORING=http://127.0.0.1:$(port_of "$WORK/monitoring.log" $MONITORING_PID)
await "$MONITORING/actuator/health/readiness" $MONITORING_PID "$WORK/monitoring.log" "monitoring"
log "monitoring up on $MONITORING (pid $MONITORING_PID)"

metric() {  # NAME LABEL_MATCH: the sum of a metric's samples whose line matches LABEL_MATCH
  curl -fsS --max-time 10 "$MONITORING/actuator/prometheus" | awk -v n="$1" -v m="$2" \
    'index($0, n) == 1 && $0 ~ m { s += $NF } END { printf "%.0f", s + 0 }'
}
poll() {  # every second until killed: epoch_ms rows evaluation_ms of version 1's window
  while true; do
    curl -fsS --max-time 5 "$MONITORING/api/v1/models/$MODEL/drift?version=1" 2>/dev/null | python3 -c '
import json, sys, time
try:
    v = json.load(sys.stdin)["versions"][0]
    print(int(time.time() * 1000), v.get("window", {}).get("rows", 0), v.get("evaluation_ms", 0))
except Exception:
    pass' >>"$WORK/samples" || true
    sleep 1
  done
}

stored_before=$(metric flywheel_monitoring_ingested_rows_total 'source="predictions"')
judged_before=$(metric flywheel_monitoring_drift_evaluation_seconds_count '')
poll &
POLLER=$!
PIDS+=($POLLER)
log "load: wrk -t$THREADS -c$CONCURRENCY -d$DURATION, $ROWS rows per request"
out=$(ROWS=$ROWS MODEL=$MODEL timeout 3600 wrk -t"$THREADS" -c"$CONCURRENCY" -d"$DURATION" --timeout 10s \
  -s "$ROOT/bench/monitoring-ingest.lua" "$MONITORING/api/v1/predictions") || die "wrk failed"
sleep 2
kill $POLLER 2>/dev/null || true
read -r requests micros p50 p99 max non2xx timeouts connect read statuses <<<"$(grep '^RESULT ' <<<"$out" | cut -d' ' -f2-)"
stored=$(( $(metric flywheel_monitoring_ingested_rows_total 'source="predictions"') - stored_before ))
shed=$(metric flywheel_monitoring_ingest_dropped_rows_total 'source="predictions"')
judged=$(( $(metric flywheel_monitoring_drift_evaluation_seconds_count '') - judged_before ))
seconds=$(awk -v us="$micros" 'BEGIN { print us / 1e6 }')

cat <<EOT

Monitoring ingestion, $(date -u +%Y-%m-%d) ($(nproc) cores; before the run: load average $LOAD_BEFORE, CPU idle $IDLE_BEFORE%)
wrk -t$THREADS -c$CONCURRENCY -d$DURATION, POST /api/v1/predictions, $ROWS rows per request; monitoring $MONITORING_OPTS, H2 under the run's work directory

| requests | statuses | p50 ms | p99 ms | rows stored | rows stored per second | rows shed | drift judgements during the load |
| --- | --- | --- | --- | --- | --- | --- | --- |
| $requests | $statuses | $(awk -v u="$p50" 'BEGIN { printf "%.1f", u / 1000 }') | $(awk -v u="$p99" 'BEGIN { printf "%.1f", u / 1000 }') | $stored | $(awk -v n="$stored" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }') | $shed | $judged |
EOT

python3 - "$WORK/samples" <<'PY'
import sys, time
samples = [tuple(float(x) for x in line.split()) for line in open(sys.argv[1]) if len(line.split()) == 3]
samples = [s for s in samples if s[1] > 0]
if not samples:
    print("\nno drift judgement was sampled"); sys.exit(0)
base = samples[0][1]
print("\n| window rows (target) | window rows (sampled) | judging the window, ms (median of the 3 samples nearest) | a naive design: sorting the window's raw values for a KS test, ms |")
print("| --- | --- | --- | --- |")
try:
    import numpy
except ImportError:
    numpy = None
for factor in (1, 10, 100):
    target = base * factor
    nearest = sorted(samples, key=lambda s: abs(s[1] - target))[:3]
    if abs(nearest[0][1] - target) > 0.5 * target:
        print(f"| {target:.0f} ({factor}x) | not reached (at most {max(s[1] for s in samples):.0f}) | | |"); continue
    rows = nearest[0][1]
    ms = sorted(s[2] for s in nearest)[len(nearest) // 2]
    naive = ""
    if numpy is not None:
        a = numpy.random.default_rng(1).normal(size=int(rows) * 4)
        start = time.perf_counter(); numpy.sort(a); naive = f"{(time.perf_counter() - start) * 1000:.2f}"
    print(f"| {target:.0f} ({factor}x) | {rows:.0f} | {ms:.3f} | {naive} |")
PY
