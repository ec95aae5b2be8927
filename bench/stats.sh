#!/usr/bin/env bash
# bench/stats.sh — the cost of uphub's stats (not part of make test).
#
# 1. stats_scrape_1000_ops: with 1,000 GraphQL operations recorded (the
#    default uphub.stats_max_operations), the time of one GET /metrics on the
#    HTTP exporter, as curl's time_total, median of $SCRAPES scrapes.
#    Baseline: the same scrape with an empty store. Target: <= 10 ms.
# 2. stats_record_overhead: extra time of one stats_graphql_request() call
#    (found entry, shared lock + spinlock), from a loop of $CALLS calls in one
#    statement with uphub.track on, minus the same loop with it off (the
#    baseline). Target: <= 1000 ns a call.
# 3. stats_record_4_clients: calls/s of the recording path with 4 pgbench
#    clients on one hot entry, over calls/s with track off (ratio, >= 0.8):
#    $ROUNDS rounds of on and off, the order alternating, 5 s each; the
#    median of the per-round ratios (load on this machine swings single
#    runs by +-20%), calls/s of the middle round.
#
# Runs against the cluster bench/run.sh starts (PGHOST, PGPORT, PGUSER,
# PGDATABASE). It turns the exporter on with ALTER SYSTEM + reload (a SIGHUP
# rebind) on a free port, and resets those settings and the stats at the end.
set -euo pipefail
SCRAPES=${SCRAPES:-200}
ROUNDS=${ROUNDS:-3}
CALLS=${CALLS:-200000}
psql=(psql -X -q -v ON_ERROR_STOP=1 -At)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
	"${psql[@]}" -c "ALTER SYSTEM RESET uphub.metrics_listen_address" \
		-c "ALTER SYSTEM RESET uphub.metrics_port" -c "SELECT pg_reload_conf()" >/dev/null || true
}
trap cleanup EXIT
"${psql[@]}" -c "ALTER SYSTEM SET uphub.metrics_listen_address = '127.0.0.1'" \
	-c "ALTER SYSTEM SET uphub.metrics_port = $port" -c "SELECT pg_reload_conf()" >/dev/null
url="http://127.0.0.1:$port/metrics"
for _ in $(seq 100); do curl -fsS -o /dev/null "$url" 2>/dev/null && break; sleep 0.1; done

# Median scrape time in ms over $SCRAPES scrapes.
scrape_ms() {
	for _ in $(seq "$SCRAPES"); do
		curl -fsS -o /dev/null -w '%{time_total}\n' "$url"
	done | sort -n | awk '{ t[NR] = $1 } END { printf "%.3f", t[int((NR + 1) / 2)] * 1000 }'
}

"${psql[@]}" -c "SELECT uphub.stats_reset()" >/dev/null
empty_ms=$(scrape_ms)
"${psql[@]}" -c "SELECT count(uphub._stats_test_graphql_request(i, 'Operation' || i, 'query', i % 7 <> 0, i % 50, (i % 1000) / 20000.0))
	FROM generate_series(1, 1000) i, generate_series(1, 3) r" >/dev/null
ops=$("${psql[@]}" -c "SELECT count(*) FROM uphub.stats")
bytes=$(curl -fsS "$url" | wc -c)
full_ms=$(scrape_ms)
echo "operations=$ops body_bytes=$bytes empty_ms=$empty_ms full_ms=$full_ms"
echo "BENCH stats_scrape_1000_ops $full_ms ms $empty_ms $full_ms <=10"

# Per-call cost of the recording path: track on minus track off.
loop_ms() {
	"${psql[@]}" -c "SET uphub.track = $1" -c '\timing on' \
		-c "SELECT count(uphub._stats_test_graphql_request(1, 'Hot', 'query', true, 1, 0.001)) FROM generate_series(1, $CALLS)" \
		| sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1
}
loop_ms on >/dev/null
on_ms=$(loop_ms on)
off_ms=$(loop_ms off)
ns=$(awk -v on="$on_ms" -v off="$off_ms" -v n="$CALLS" 'BEGIN { printf "%.0f", (on - off) * 1e6 / n }')
echo "loop of $CALLS calls: track on ${on_ms} ms, off ${off_ms} ms"
echo "BENCH stats_record_overhead $ns ns/call $(awk -v o="$off_ms" -v n="$CALLS" 'BEGIN { printf "%.0f", o * 1e6 / n }') $ns <=1000"

# Contention: 4 clients on one entry.
script=$(mktemp)
echo "SELECT uphub._stats_test_graphql_request(1, 'Hot', 'query', true, 1, 0.001) FROM generate_series(1, 100);" >"$script"
tps() {
	PGOPTIONS="-c uphub.track=$1" pgbench -n -c 4 -j 2 -T 5 -f "$script" 2>/dev/null \
		| sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}
rounds=()
for r in $(seq 1 "$ROUNDS"); do
	if [ $((r % 2)) -eq 1 ]; then
		on_tps=$(tps on)
		off_tps=$(tps off)
	else
		off_tps=$(tps off)
		on_tps=$(tps on)
	fi
	on_cps=$(awk -v t="$on_tps" 'BEGIN { printf "%.0f", t * 100 }')
	off_cps=$(awk -v t="$off_tps" 'BEGIN { printf "%.0f", t * 100 }')
	echo "4 clients, round $r: $on_cps calls/s on, $off_cps calls/s off"
	rounds+=("$(awk -v a="$on_cps" -v b="$off_cps" 'BEGIN { printf "%.4f", a / b }') $on_cps $off_cps")
done
rm -f "$script"
read -r ratio on_cps off_cps < <(printf '%s\n' "${rounds[@]}" | sort -n | sed -n "$(((ROUNDS + 1) / 2))p")
ratio=$(awk -v r="$ratio" 'BEGIN { printf "%.2f", r }')
echo "BENCH stats_record_4_clients $on_cps calls/s $off_cps $ratio >=0.8"
"${psql[@]}" -c "SELECT uphub.stats_reset()" >/dev/null
