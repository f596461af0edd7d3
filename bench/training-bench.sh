#!/usr/bin/env bash
# Training benchmark (docs/benchmarks.md): the pipeline's trainer against a bare DL4J fit loop on the same digits rows
# and network, in one run, and the pipeline's run time at 1x, 10x and 100x the rows.
# Usage: bench/training-bench.sh [epochs=30] [repeats=3] [scales=1,10,100]   (quick: bench/training-bench.sh 10 1 1,10)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -B -q -DskipTests install -pl model-bundle -am >/dev/null
mvn -B -q test-compile -pl training-pipeline >/dev/null
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q dependency:build-classpath -pl training-pipeline -Dmdep.outputFile="$CP_FILE" >/dev/null
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(uptime | sed 's/.*load average: //; s/,.*//')"
# one BLAS thread, as the pipeline pins it: both sides of the comparison train on the same kernels
OMP_NUM_THREADS=1 timeout 1800 java -Xmx4g \
  -cp "training-pipeline/target/test-classes:training-pipeline/target/classes:$(cat "$CP_FILE")" \
  dev.flywheel.training.trainer.TrainingBenchmark "$@" 2> >(grep -v -E 'INFO|DEBUG' >&2)
