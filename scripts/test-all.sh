#!/usr/bin/env bash
# Runs every test (unit, integration against MariaDB and Kafka, end-to-end) the way CI does:
#
#   npm run test:all [-- <jest args>]
#
# 1. starts MariaDB if nothing answers on 127.0.0.1:3306 and creates the database `test`;
# 2. starts the local KRaft broker (docker/kafka-local/kafka.sh up);
# 3. runs `jest --ci --forceExit` with KAFKA_BROKERS and DATABASE_URL exported;
# 4. stops the broker on the way out (trap), and exits with jest's code.
#
# The summary reporter's "N passed, N failed" line must stay the last thing on stdout, so everything this
# script says goes to stderr.
#
# The broker is stopped only when a test-all run started it and no other test-all run is still using it:
# on a machine shared by several engineers, one run finishing must not pull the broker from under another,
# and a broker someone started by hand (`npm run kafka:up`) is theirs to stop.
set -uo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"

KAFKA_SH="$REPO_DIR/docker/kafka-local/kafka.sh"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$REPO_DIR/var/kafka}"
export KAFKA_DATA_DIR
MARIADB_START_TIMEOUT_S="${MARIADB_START_TIMEOUT_S:-60}"

export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
export DATABASE_URL="mysql://root@127.0.0.1:3306/test"

LEASE_DIR="$KAFKA_DATA_DIR/test-all.leases"
OWNER_MARK="$KAFKA_DATA_DIR/test-all.started"
LEASE_LOCK="$KAFKA_DATA_DIR/test-all.lock"

say() { printf 'test-all: %s\n' "$*" >&2; }

ensure_mariadb() {
  if node scripts/mariadb-ready.js --wait-s 0 2>/dev/null; then
    return 0
  fi
  say "MariaDB is not answering on 127.0.0.1:3306; starting /usr/sbin/mariadbd"
  # A fresh container has an empty /run: the socket directory must exist and belong to mysql.
  if [[ ! -d /run/mysqld ]]; then
    mkdir -p /run/mysqld && { chown mysql:mysql /run/mysqld 2>/dev/null || true; }
  fi
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >&2 ||
    { say "could not start mariadbd"; return 1; }
  node scripts/mariadb-ready.js --wait-s "$MARIADB_START_TIMEOUT_S" >&2
}

# Leases: one file per running test-all (named by its pid), guarded by a lock.
release_kafka() {
  mkdir -p "$LEASE_DIR"
  exec 9>"$LEASE_LOCK"
  flock 9
  rm -f "$LEASE_DIR/$$"
  local lease others=()
  for lease in "$LEASE_DIR"/*; do
    [[ -e "$lease" ]] || continue
    if kill -0 "$(basename "$lease")" 2>/dev/null; then
      others+=("$(basename "$lease")")
    else
      rm -f "$lease"
    fi
  done
  if ((${#others[@]} > 0)); then
    say "leaving Kafka up: still used by test-all pid(s) ${others[*]}"
  elif [[ -f "$OWNER_MARK" ]]; then
    bash "$KAFKA_SH" down >&2 || true
    rm -f "$OWNER_MARK"
  else
    say "leaving Kafka up: it was started outside test-all (npm run kafka:down stops it)"
  fi
  flock -u 9
}

acquire_kafka() {
  mkdir -p "$LEASE_DIR"
  exec 9>"$LEASE_LOCK"
  flock 9
  touch "$LEASE_DIR/$$"
  local code=0
  # Whatever already answers there (our broker, a second run's, or Docker's) is used as it is.
  if ! node docker/kafka-local/wait-ready.js --brokers "$KAFKA_BROKERS" --once; then
    rm -f "$OWNER_MARK"
    bash "$KAFKA_SH" up >&2 || code=$?
    # Marked even when `up` failed, so that the exit path cleans up whatever half-started.
    touch "$OWNER_MARK"
  fi
  flock -u 9
  return "$code"
}

kafka_acquired=0
summary_file="$(mktemp)"
# The reporter writes the closing line here as well (test/support/summary-reporter.js).
JEST_SUMMARY_FILE="$(mktemp)"
export JEST_SUMMARY_FILE
on_exit() {
  local code=$?
  ((kafka_acquired)) && release_kafka
  # Kafka's shutdown talks after Jest's closing line; repeat that line so it stays the last one.
  local summary
  summary="$(grep -hE '^[0-9]+ passed, [0-9]+ failed$' "$summary_file" "$JEST_SUMMARY_FILE" | tail -n 1)"
  rm -f "$summary_file" "$JEST_SUMMARY_FILE"
  [[ -n "$summary" ]] && printf '%s\n' "$summary"
  exit "$code"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_mariadb || { say "MariaDB is not available; no tests were run"; exit 1; }
kafka_acquired=1
acquire_kafka || { say "Kafka is not available; no tests were run"; exit 1; }

code=0
# --forceExit: a handle some test left open (a start that failed half-way once left a database pool) must
# not keep the run from ending and printing its summary; Jest names it when it forces the exit.
npx jest --ci --forceExit "$@" | tee "$summary_file" || code=$?
exit "$code"
