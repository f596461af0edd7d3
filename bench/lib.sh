# Shell functions shared by the benchmark scripts (bench/inference-bench.sh, bench/router-bench.sh,
# bench/registry-bench.sh): sourced, not run. Each script sets its parameters, then sources this file and calls what it
# needs: the tools (need_wrk, need_hey, need_tools), its jars (ensure_jars), a work directory whose processes are
# stopped on exit (make_workdir), the services (start_registry, train_iris_twice, start_sink, start_service), the load
# (wrk_run, warm_up with bench/inference-bench.lua; hey_statuses, hey_errors, hey_latency_ms for hey's output) and the
# CPU other processes took (cpu_mark, others_pct).
# Globals it reads: THREADS, WARMUP (wrk_run, warm_up), HEAP, SERVICE_OPTS, JAVACPP_MAXBYTES, JAVACPP_MAXPHYSICALBYTES
# (start_service), MODEL (train_iris_twice). Globals it sets: ROOT, LUA, WORK, FLYWHEEL_HOME, PIDS, LOAD_BEFORE,
# IDLE_BEFORE, REGISTRY, REGISTRY_PID, MONITORING, SERVICE, SERVICE_PID, SERVICE_JAVA_OPTS.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LUA=$ROOT/bench/inference-bench.lua  # POSTs a body, counts answers by status and by model_version
log() { echo "[bench] $*" >&2; }
die() { log "error: $*"; exit 1; }

# --- tools -------------------------------------------------------------------------------------------------------------
apt_install() {  # PACKAGE: apt-get install, when run as root on a system with apt-get (best effort)
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "installing $1 (apt-get install -y $1)"
    apt-get install -y -qq "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; } ||
      true
  fi
}
need_wrk() {
  command -v wrk >/dev/null || apt_install wrk
  command -v wrk >/dev/null || die "wrk is missing: install it with 'apt-get install -y wrk' (Debian, Ubuntu) or \
'brew install wrk' (macOS), or build it from https://github.com/wg/wrk"
}
need_hey() {
  command -v hey >/dev/null || apt_install hey
  command -v hey >/dev/null || die "hey is missing: install it with 'apt-get install -y hey' (Debian, Ubuntu) or \
'brew install hey' (macOS)"
}
need_tools() {  # TOOL...
  local tool
  for tool; do
    command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install -y ${tool/java/openjdk-17-jre-headless})"
  done
}

# --- jars --------------------------------------------------------------------------------------------------------------
jar_of() { echo "$ROOT/$1/target/$1-0.1.0-SNAPSHOT.jar"; }  # MODULE -> its jar
sources_of() {  # MODULE -> the modules whose main sources its jar is built from
  case $1 in
    model-registry) echo model-registry model-bundle service-support ;;
    training-pipeline) echo training-pipeline model-bundle ;;
    inference-service) echo inference-service model-bundle service-support ;;
    ab-router) echo ab-router model-bundle service-support ;;
    monitoring) echo monitoring model-bundle service-support ;;
    *) die "no jar known for module $1" ;;
  esac
}
# The jars' modification time is the build's fixed project.build.outputTimestamp (reproducible builds), so sources are
# compared with the time the jar was written (its status change time: -newermc), not with its modification time.
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
ensure_jars() {  # MODULE...: builds the modules' jars (mvn package, offline) when one is missing or stale
  local module modules
  for module; do
    # shellcheck disable=SC2046 # the modules are words
    if stale "$(jar_of "$module")" $(sources_of "$module"); then
      modules=$(IFS=,; echo "$*")
      log "building the jars (mvn -B -o -q package -DskipTests -pl $modules -am)"
      (cd "$ROOT" && timeout 1200 mvn -B -o -q package -DskipTests -pl "$modules" -am) >&2 || die "the build failed"
      return
    fi
  done
}

# --- a work directory; processes started are stopped on exit ----------------------------------------------------------
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
make_workdir() {  # NAME: WORK=/tmp/NAME.XXXXXX with FLYWHEEL_HOME in it; every pid added to PIDS is stopped on exit
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  export FLYWHEEL_HOME=$WORK/home
  mkdir -p "$FLYWHEEL_HOME"
  PIDS=()
  trap 'cleanup $?' EXIT
  trap 'exit 130' INT TERM
}
# Shared machine: note how busy it was just before (1-minute load average, CPU idle % over one second).
note_machine_load() {
  LOAD_BEFORE=$(uptime | sed 's/.*load average: //; s/,.*//')
  IDLE_BEFORE=$(vmstat 1 2 | awk 'END { print $15 }')
  log "before the run: load average $LOAD_BEFORE, CPU idle $IDLE_BEFORE%"
}

# --- services ------------------------------------------------------------------------------------------------------------
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
start_registry() {  # PORT JVM_OPTION...: the registry jar (port 0: the kernel picks a free one) -> REGISTRY, REGISTRY_PID
  local port=$1
  shift
  java "$@" -jar "$(jar_of model-registry)" --server.port="$port" >"$WORK/registry.log" 2>&1 &
  REGISTRY_PID=$!
  PIDS+=($REGISTRY_PID)
  REGISTRY=http://127.0.0.1:$(port_of "$WORK/registry.log" $REGISTRY_PID)
}
train() {  # SPEC: the training jar on SPEC against REGISTRY; exit 1 (the gate refused) is a registered version too
  local rc=0
  OMP_NUM_THREADS=1 timeout 600 java -jar "$(jar_of training-pipeline)" train --spec "$1" --registry "$REGISTRY" \
    >>"$WORK/training.log" 2>&1 || rc=$?
  [[ $rc == 0 || $rc == 1 ]] || { tail -30 "$WORK/training.log" >&2; die "training $1 failed (exit $rc)"; }
}
# Iris twice: version 1 (champion) from examples/iris.yaml, version 2 from a copy with another seed. The second run's
# gate may refuse it against the champion (exit 1): it is registered all the same, without an alias.
train_iris_twice() {
  log "training $MODEL twice"
  train "$ROOT/examples/iris.yaml"
  sed -e 's/^seed: .*/seed: 7/' -e "s#path: \.\./datasets/#path: $ROOT/datasets/#" "$ROOT/examples/iris.yaml" \
    >"$WORK/iris-seed7.yaml"
  grep -q '^seed: 7' "$WORK/iris-seed7.yaml" || die "no seed line to change in examples/iris.yaml"
  train "$WORK/iris-seed7.yaml"
  grep -q "Model $MODEL version 2" "$WORK/training.log" || { cat "$WORK/training.log" >&2; die "no version 2"; }
}
# Monitoring's stand-in: answers 200 to every POST of the prediction log (/api/v1/predictions) -> MONITORING
start_sink() {
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
  [[ -s $WORK/sink.port ]] || die "the monitoring sink did not start: $(cat "$WORK/sink.log")"
  MONITORING=http://127.0.0.1:$(cat "$WORK/sink.port")
}
# The inference service, with its memory bounded as the launcher does (./flywheel, start()): a fixed heap, and javacpp's
# limits on ND4J's off-heap buffers (maxbytes) and on the whole process (maxphysicalbytes: heap + native, what RSS
# measures; see shared/reference/dl4j.md, memory); OMP_NUM_THREADS=1.
start_service() {  # PORT ARG...: the service jar given the registry, the sink and ARGs -> SERVICE, SERVICE_PID
  # (its log is $WORK/$SERVICE_LOG.log, service.log unless SERVICE_LOG names another, for a second replica)
  local port=$1
  shift
  SERVICE_JAVA_OPTS="-XX:ErrorFile=$WORK/hs_err_pid%p.log -Xms$HEAP -Xmx$HEAP -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m
  -Dorg.bytedeco.javacpp.maxbytes=${JAVACPP_MAXBYTES:-128m} -Dorg.bytedeco.javacpp.maxphysicalbytes=${JAVACPP_MAXPHYSICALBYTES:-900m}
  ${SERVICE_OPTS:-}"
  # shellcheck disable=SC2086 # the options are words
  OMP_NUM_THREADS=1 java $SERVICE_JAVA_OPTS -jar "$(jar_of inference-service)" --server.port="$port" \
    --flywheel.registry.url="$REGISTRY" --flywheel.monitoring.url="$MONITORING" --flywheel.inference.models="$MODEL" \
    "$@" >"$WORK/${SERVICE_LOG:-service}.log" 2>&1 &
  SERVICE_PID=$!
  PIDS+=($SERVICE_PID)
  SERVICE=http://127.0.0.1:$(port_of "$WORK/${SERVICE_LOG:-service}.log" $SERVICE_PID)
}

# --- load ----------------------------------------------------------------------------------------------------------------
# wrk BODY URL DURATION CONNECTIONS -> the RESULT line of inference-bench.lua, without "RESULT"
wrk_run() {
  local out
  out=$(WRK_BODY=$1 timeout 3600 wrk -t"$THREADS" -c"$4" -d"$3" --timeout 10s -s "$LUA" "$2") || die "wrk failed on $2"
  grep '^RESULT ' <<<"$out" | cut -d' ' -f2-
}
warm_up() {  # BODY URL CONNECTIONS: a wrk run of WARMUP, not counted
  timeout 3600 env WRK_BODY="$1" wrk -t"$THREADS" -c"$3" -d"$WARMUP" --timeout 10s -s "$LUA" "$2" >/dev/null
}
# hey's output, in FILE: the answers by status ("Status code distribution:" lines, "  [200]\t12345 responses") as
# 200:12345,... ("-" when none); the errors ("Error distribution:" lines, "  [3]\tGet ...: timeout") as a count; a
# percentile of "Latency distribution:" ("  99% in 0.0012 secs") in ms.
hey_statuses() {  # FILE
  awk '/^Status code distribution:/ { on = 1; next } on && /\[[0-9]+\]/ { gsub(/[][]/, "", $1);
    s = s (s ? "," : "") $1 ":" $2; next } on { on = 0 } END { print s ? s : "-" }' "$1"
}
hey_errors() {  # FILE
  awk '/^Error distribution:/ { on = 1; next } on && /\[[0-9]+\]/ { gsub(/[][]/, "", $1); n += $1; next }
    on { on = 0 } END { print n + 0 }' "$1"
}
hey_latency_ms() {  # FILE PERCENT
  awk -v p="$2%" '/^Latency distribution:/ { on = 1; next } on && $1 == p { printf "%.2f", $3 * 1000; found = 1; exit }
    END { if (!found) print "-" }' "$1"
}

# The share of the machine's CPU that processes other than this benchmark's took between two marks: the whole
# machine's busy time (/proc/stat) less that of the processes started here (PIDS) and of this script's children (wrk,
# hey, curl: bash's 'times'). On this shared machine, other work now and then takes a core or both; this says when.
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

# --- figures -------------------------------------------------------------------------------------------------------------
seconds() {  # DURATION (10s, 500ms, 2m, 1h) -> seconds
  awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /ms$/) n /= 1000; else if (d ~ /m$/) n *= 60; else if (d ~ /h$/) n *= 3600; print n }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f", a - b }'; }
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == "<") ? v < t : (op == "=") ? v == t : v >= t;
  print ok ? "met" : "MISSED" }'; }
