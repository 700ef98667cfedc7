# Checks README's run command on one server as a new user meets it: starts `./mvnw -Prun -Dserver=<server>` (on
# the archives already installed), waits until it says the example is up, then asks what README promises: a note
# stored and listed, a rolled-back note not kept, the server's pool statistics in /api/pool, the adapter's counters
# in /api/metrics, and the live page; then stops it as a user does and sees the server gone. Fails naming what was
# missing.
#
#   bash it-tests/src/test/run-command-check.sh SERVER PORT STATISTIC [maven args...]
#
# STATISTIC is a name the server's own statistics use (WildFly ActiveCount, Payara numconnfree, Liberty CreateCount).
set -uo pipefail
cd "$(dirname "$0")/../../.."
server=$1 port=$2 statistic=$3
shift 3
log="$PWD/target/ci/run-$server.out"
mkdir -p "$(dirname "$log")"

# README's commands: WildFly is the default server (its profile is active when no server is named).
[ "$server" = wildfly ] || set -- -Dserver="$server" "$@"
# A process group of its own (job control on), so that stopping it reaches Maven and whatever it started.
set -m
./mvnw -B -Prun -DskipTests verify -pl it-tests "$@" > "$log" 2>&1 &
run=$!
set +m
stop() {
    # What Ctrl-C does, as SIGTERM: a script's background jobs ignore SIGINT. The run command's shutdown hook stops
    # the server it started.
    kill -TERM -- -"$run" 2> /dev/null
    for _ in $(seq 1 120); do
        kill -0 -- -"$run" 2> /dev/null || return 0
        sleep 1
    done
    echo "run command on $server: still running 2 minutes after it was stopped; killed" >&2
    kill -KILL -- -"$run" 2> /dev/null
    return 1
}

fail() {
    echo "run command on $server: $*" >&2
    tail -n 40 "$log" >&2
    stop
    exit 1
}

for _ in $(seq 1 600); do
    grep -q "The example is up" "$log" && break
    kill -0 "$run" 2> /dev/null || fail "ended before the example was up"
    sleep 1
done
grep -q "The example is up" "$log" || fail "the example was not up within 10 minutes"

base="http://localhost:$port/jdbc-pool-example"
note="run-check-$RANDOM$RANDOM"
lost="run-lost-$RANDOM$RANDOM"
status=$(curl -s -m 60 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: text/plain' -d "$note" \
    "$base/api/notes")
[ "$status" = 201 ] || fail "adding a note answered $status, not 201"
curl -s -m 60 -X POST -H 'Content-Type: text/plain' -d "$lost" "$base/api/notes/rollback" > /dev/null
notes=$(curl -s -m 60 "$base/api/notes")
grep -q "\"$note\"" <<< "$notes" || fail "the note added is not listed: $notes"
grep -q "\"$lost\"" <<< "$notes" && fail "the note rolled back is listed: $notes"
pool=$(curl -s -m 60 "$base/api/pool")
grep -q "\"$statistic\"" <<< "$pool" || fail "/api/pool has no $statistic: $pool"
metrics=$(curl -s -m 60 "$base/api/metrics")
grep -q '^jdbcpool_connections_opened_total{pool=' <<< "$metrics" || fail "/api/metrics has no adapter counter"
grep -q '^jdbcpool_server_statistic{' <<< "$metrics" || fail "/api/metrics has no server statistic"
status=$(curl -s -m 60 -o /dev/null -w '%{http_code}' "$base/")
[ "$status" = 200 ] || fail "the live page answered $status"
stop || exit 1
# Stopped means stopped: nothing answers on the example's port any more.
if curl -s -m 5 -o /dev/null "$base/"; then
    echo "run command on $server: the server still answers on port $port after the run command stopped" >&2
    exit 1
fi
echo "run command on $server: notes, rollback, /api/pool ($statistic), /api/metrics and the page answer; it stops"
