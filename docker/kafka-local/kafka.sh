#!/usr/bin/env bash
# A real single-node KRaft Kafka broker (broker + controller in one JVM) from Maven Central jars:
# no Docker, no tarball. Used by `npm run kafka:up|kafka:down`, scripts/test-all.sh and the Kafka
# integration tests (which stop and start a second broker to simulate an outage).
#
#   kafka.sh up | down | status | restart | reset | start-broker | stop-broker
#
# Environment (defaults in brackets):
#   KAFKA_PORT [9092]               client listener on 127.0.0.1
#   KAFKA_CONTROLLER_PORT [9093]    KRaft controller listener on 127.0.0.1
#   KAFKA_DATA_DIR [<repo>/var/kafka]  config, pid file, kafka.log and the log segments (under kraft/)
#   KAFKA_NUM_PARTITIONS [3]        partitions of auto-created topics
#   KAFKA_START_TIMEOUT_S [60]      how long `up` waits for the broker to answer
#   KAFKA_STOP_TIMEOUT_S [20]       how long `down` waits after SIGTERM before SIGKILL
#   KAFKA_HEAP_OPTS [-Xmx2g]    every test switch and chaos run creates its own topics: thousands of partitions
#   KAFKA_JVM_OPTS [-XX:TieredStopAtLevel=1 -XX:+UseSerialGC]  extra JVM flags
#
# Two brokers may run side by side as long as they have different ports and data dirs; each data dir
# has its own lock, pid file and log.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
LIBS_DIR="$SCRIPT_DIR/libs"
# target/ and libs/ are git-ignored; target/ holds the resolution lock and the half-copied jars.
WORK_DIR="$SCRIPT_DIR/target"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$REPO_DIR/var/kafka}"
KAFKA_NUM_PARTITIONS="${KAFKA_NUM_PARTITIONS:-3}"
KAFKA_START_TIMEOUT_S="${KAFKA_START_TIMEOUT_S:-60}"
KAFKA_STOP_TIMEOUT_S="${KAFKA_STOP_TIMEOUT_S:-20}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx2g}"
# C1-only JIT and the serial collector start the broker about twice as fast on a small shared machine
# and use fewer threads; a test broker needs start-up time more than peak throughput. Set
# KAFKA_JVM_OPTS="" for the JVM defaults.
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}java"

mkdir -p "$KAFKA_DATA_DIR"
KAFKA_DATA_DIR="$(cd "$KAFKA_DATA_DIR" && pwd)"
PROPS_FILE="$KAFKA_DATA_DIR/server.properties"
LOG4J_FILE="$KAFKA_DATA_DIR/log4j.properties"
PID_FILE="$KAFKA_DATA_DIR/kafka.pid"
LOG_FILE="$KAFKA_DATA_DIR/kafka.log"
SEGMENTS_DIR="$KAFKA_DATA_DIR/kraft"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

say() { printf 'kafka-local: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# One operation at a time per data dir: two engineers (or a test and test-all) running `up` together
# must not both format the storage or start two JVMs on one log dir.
lock_data_dir() {
  exec 8>"$KAFKA_DATA_DIR/.lock"
  flock 8
}

# Resolves the broker's runtime classpath once. The copy goes to a scratch dir first and is moved into
# place whole, so an interrupted download never leaves a half-filled libs/ that looks complete.
ensure_libs() {
  [[ -f "$LIBS_DIR/.complete" ]] && return 0
  mkdir -p "$WORK_DIR"
  exec 7>"$WORK_DIR/libs.lock"
  flock 7
  if [[ ! -f "$LIBS_DIR/.complete" ]]; then
    command -v mvn >/dev/null || die "mvn not found: Maven is needed once to fetch the Kafka jars"
    local partial="$WORK_DIR/libs.partial"
    rm -rf "$partial"
    say "resolving Kafka jars from Maven Central (once; cached in $LIBS_DIR)"
    local started=$SECONDS
    # Maven's output is kept in a log and shown only on failure (quiet Maven still prints colour codes).
    if ! mvn -q -B -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$partial" -DincludeScope=runtime >"$WORK_DIR/mvn.log" 2>&1; then
      tail -n 30 "$WORK_DIR/mvn.log" >&2
      die "mvn could not resolve the Kafka jars (is Maven Central reachable?); log: $WORK_DIR/mvn.log"
    fi
    touch "$partial/.complete"
    rm -rf "$LIBS_DIR"
    mv "$partial" "$LIBS_DIR"
    say "resolved $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars in $((SECONDS - started)) s"
  fi
  flock -u 7
}

write_config() {
  mkdir -p "$SEGMENTS_DIR"
  cat >"$PROPS_FILE" <<EOF
# Written by docker/kafka-local/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$SEGMENTS_DIR
auto.create.topics.enable=true
num.partitions=$KAFKA_NUM_PARTITIONS
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
EOF
  cat >"$LOG4J_FILE" <<'EOF'
# The broker's stdout goes to kafka.log in the data dir.
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.controller=INFO
log4j.logger.org.apache.kafka.controller=INFO
EOF
}

# The JVM command line as an array; the classpath wildcard is for java to expand, never the shell.
java_cmd() {
  local -a heap extra
  read -r -a heap <<<"$KAFKA_HEAP_OPTS"
  read -r -a extra <<<"$KAFKA_JVM_OPTS"
  JAVA_CMD=("$JAVA_BIN" "${heap[@]}" -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$LOG4J_FILE" "${extra[@]}" -cp "$LIBS_DIR/*")
}

format_storage() {
  [[ -f "$SEGMENTS_DIR/meta.properties" ]] && return 0
  local cluster_id
  # A Kafka cluster id is a base64url UUID; one starting with '-' would read as a CLI flag.
  cluster_id="$(node -e "
    const { randomBytes } = require('node:crypto');
    let id; do { id = randomBytes(16).toString('base64url'); } while (id.startsWith('-'));
    process.stdout.write(id);")"
  say "formatting $SEGMENTS_DIR (cluster id $cluster_id)"
  # StorageTool calls Exit.exit, so it gets a JVM of its own.
  java_cmd
  "${JAVA_CMD[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS_FILE" >>"$LOG_FILE" 2>&1 \
    || { tail -n 20 "$LOG_FILE" >&2; die "formatting the storage failed (log: $LOG_FILE)"; }
}

# The pid of the broker this data dir started, if that process is still that broker. Checking the
# command line guards against a recycled pid: we never signal a process we did not start.
broker_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "kafka.Kafka $PROPS_FILE" || return 1
  echo "$pid"
}

port_in_use() {
  timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

wait_ready() {
  local pid="$1" code=0
  node "$SCRIPT_DIR/wait-ready.js" --brokers "$BOOTSTRAP" --pid "$pid" \
    --timeout-ms "$((KAFKA_START_TIMEOUT_S * 1000))" || code=$?
  case "$code" in
    0) return 0 ;;
    2) say "the broker exited during start-up; last lines of $LOG_FILE:" ;;
    *) say "the broker did not answer on $BOOTSTRAP within ${KAFKA_START_TIMEOUT_S} s; last lines of $LOG_FILE:" ;;
  esac
  tail -n 40 "$LOG_FILE" >&2 || true
  return 1
}

cmd_up() {
  lock_data_dir
  local pid
  if pid="$(broker_pid)"; then
    wait_ready "$pid" || die "broker pid $pid is running but not answering"
    say "already up on $BOOTSTRAP (pid $pid)"
    return 0
  fi
  rm -f "$PID_FILE"
  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_in_use "$port"; then
      die "127.0.0.1:$port is already in use by a process not started from $KAFKA_DATA_DIR; set KAFKA_PORT/KAFKA_CONTROLLER_PORT or stop it"
    fi
  done
  command -v "$JAVA_BIN" >/dev/null || die "java not found (Java 17+ is required)"
  ensure_libs
  write_config
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  format_storage
  local started=$SECONDS
  # setsid: the broker outlives the shell (and the npm/jest process group) that started it. The inner
  # shell writes its own pid and then becomes the JVM, so the pid file names the JVM itself. The lock
  # descriptors are closed for it, or the broker would hold the data-dir lock for its whole life.
  java_cmd
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "${JAVA_CMD[@]}" kafka.Kafka "$PROPS_FILE" >>"$LOG_FILE" 2>&1 </dev/null 7>&- 8>&- &
  local waited=0
  until [[ -s "$PID_FILE" ]]; do
    sleep 0.1
    waited=$((waited + 1))
    ((waited < 100)) || die "the broker process did not start"
  done
  pid="$(cat "$PID_FILE")"
  if ! wait_ready "$pid"; then
    stop_pid "$pid"
    exit 1
  fi
  say "up on $BOOTSTRAP (pid $pid, data $KAFKA_DATA_DIR, ready in $((SECONDS - started)) s)"
}

stop_pid() {
  local pid="$1" deadline=$((SECONDS + KAFKA_STOP_TIMEOUT_S))
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "pid $pid still running after ${KAFKA_STOP_TIMEOUT_S} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
}

cmd_down() {
  lock_data_dir
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PID_FILE"
    say "not running ($KAFKA_DATA_DIR)"
    return 0
  fi
  say "stopping pid $pid ($BOOTSTRAP)"
  stop_pid "$pid"
  say "stopped"
}

cmd_status() {
  local pid
  if ! pid="$(broker_pid)"; then
    echo "stopped ($BOOTSTRAP, data $KAFKA_DATA_DIR)"
    return 3
  fi
  if node "$SCRIPT_DIR/wait-ready.js" --brokers "$BOOTSTRAP" --pid "$pid" --once; then
    echo "running on $BOOTSTRAP (pid $pid, data $KAFKA_DATA_DIR)"
    return 0
  fi
  echo "pid $pid is running but not answering on $BOOTSTRAP (starting or stuck; log $LOG_FILE)"
  return 1
}

cmd_reset() {
  lock_data_dir
  broker_pid >/dev/null && die "stop the broker first (kafka.sh down)"
  rm -rf "$SEGMENTS_DIR" "$PROPS_FILE" "$LOG4J_FILE" "$LOG_FILE" "$LOG_FILE.1" "$PID_FILE"
  say "wiped topics and offsets in $KAFKA_DATA_DIR"
}

case "${1:-}" in
  up | start-broker) cmd_up ;;
  down | stop-broker) cmd_down ;;
  restart) "$0" down && "$0" up ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  *)
    echo "usage: $0 up|down|status|restart|reset|start-broker|stop-broker" >&2
    exit 64
    ;;
esac
