#!/usr/bin/env bash
# Ferry's benchmarks (docs/benchmarks.md).
#   scripts/bench.sh                    both regimes: the CPU-bound comparison at N 100000, then every shipped sync
#                                       at its vendor's limits (about 15 minutes)
#   scripts/bench.sh N ...              the CPU-bound comparison (jst-shops-to-mysql against a hand-written client)
#   scripts/bench.sh limits [SYNC[=N] ...]  every shipped sync (or those named) against its simulator with the vendor's
#                                       limits: achieved time against the limits' bound, calls refused (about 8 minutes)
#   scripts/bench.sh kingdee [N]        wdt-shops-to-kingdee-customers at 300 ms per BatchSave (default N 2000)
#   scripts/bench.sh replica [N ...]    syncs per replica: N copies of jst-shops-to-mysql every 10 s in one replica
#                                       (default N 8 16 32 64 128, stopping after the first that falls behind), then
#                                       the hand-over of all N to a second replica when the first is killed
#                                       (about 2 to 3 minutes per N; bench.period, bench.window, bench.records,
#                                       bench.changes as -D options in BENCH_REPLICA_ARGS)
#   scripts/bench.sh orders [N]         jst-orders-to-mysql at Jushuitan's rate limits against a hand-written client
#                                       (default N 20000 orders: about 6 minutes)
# Environment: BENCH_XMX (256m) heap of each measured JVM; BENCH_JFR=1 records a JFR profile per measured JVM
# into target/bench/*.jfr; BENCH_PROFILE=cpu|wall|alloc runs async-profiler (tools.profiler:async-profiler from
# Maven Central) in each measured JVM, collapsed stacks per thread into target/bench/*-<event>.collapsed;
# BENCH_JVM_ARGS adds options to the measured JVMs.
# Needs MariaDB/MySQL on 127.0.0.1:3306 (root, empty password); each variant gets a fresh database that is
# dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null; then
  echo "bench.sh: nothing answers on 127.0.0.1:3306; start MariaDB first (scripts/test.sh shows how)" >&2
  exit 2
fi

mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
# a copy of the classes, so that a build during a long run cannot pull them from under the measured JVMs
rm -rf target/bench-classes && mkdir -p target/bench-classes
cp -r target/classes target/bench-classes/main && cp -r target/test-classes target/bench-classes/test
# absolute: the replica benchmark starts its JVMs in directories of their own
CP="$PWD/target/bench-classes/test:$PWD/target/bench-classes/main:$(cat target/bench-classpath.txt)"

PROFILER=""
if [ -n "${BENCH_PROFILE:-}" ]; then
  case "$(uname -m)" in
    x86_64) arch=linux-x64 ;;
    aarch64) arch=linux-arm64 ;;
    *) echo "bench.sh: async-profiler has no library for $(uname -m)" >&2; exit 2 ;;
  esac
  mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.1 -DoutputDirectory=target/bench-tools >/dev/null
  (cd target/bench-tools && unzip -o -q async-profiler-4.1.jar "$arch/*")
  PROFILER="$PWD/target/bench-tools/$arch/libasyncProfiler.so"
fi

if [ "${1:-}" = kingdee ]; then
  shift
  exec java -Xmx512m -cp "$CP" io.ferry.bench.KingdeeBenchmark "${1:-2000}"
fi

if [ "${1:-}" = replica ]; then
  shift
  # shellcheck disable=SC2086
  exec java -Xmx256m -cp "$CP" ${BENCH_REPLICA_ARGS:-} io.ferry.bench.SyncsPerReplicaBenchmark "$@"
fi

if [ "${1:-}" = orders ]; then
  shift
  exec java -Xmx256m -cp "$CP" -Dbench.xmx="${BENCH_XMX:-256m}" -Dbench.jvmArgs="${BENCH_JVM_ARGS:-}" \
    io.ferry.bench.OrdersBenchmark "${1:-20000}"
fi

limits() {
  java -Xmx256m -cp "$CP" -Dbench.xmx="${BENCH_XMX:-256m}" -Dbench.jvmArgs="${BENCH_JVM_ARGS:-}" \
    io.ferry.bench.VendorLimitsBenchmark "$@"
}

cpu_bound() {
  java -Xmx256m -cp "$CP" \
    -Dbench.xmx="${BENCH_XMX:-256m}" -Dbench.jvmArgs="${BENCH_JVM_ARGS:-}" \
    -Dbench.profiler="$PROFILER" -Dbench.profile="${BENCH_PROFILE:-}" -Dbench.jfr="$([ "${BENCH_JFR:-0}" = 1 ] && echo true || echo false)" \
    io.ferry.bench.Benchmark "$@"
}

if [ "${1:-}" = limits ]; then
  shift
  limits "$@"
  exit
fi

if [ $# -gt 0 ]; then
  cpu_bound "$@"
  exit
fi

# both regimes; the second runs even when the first failed, and the exit code is the first failure's
status=0
cpu_bound 100000 || status=$?
limits || { s=$?; [ "$status" -ne 0 ] || status=$s; }
exit "$status"
