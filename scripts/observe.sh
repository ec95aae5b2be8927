#!/usr/bin/env bash
# scripts/observe.sh — `make observe`: the demo cluster with uphub's HTTP
# exporter on, a real Prometheus (Debian's package) on loopback with the
# shipped config and rules, a short mixed GraphQL workload, and a PNG chart
# of request rate and p95 latency per operation drawn from Prometheus' own
# query API into docs/observability/observe.png.
#
# Environment: OBSERVE_SECONDS (workload length, default 120),
# UPHUB_METRICS_PORT (default 9753), PROMETHEUS_PORT (default 19090).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

seconds=${OBSERVE_SECONDS:-120}
metrics_port=${UPHUB_METRICS_PORT:-9753}
prom_port=${PROMETHEUS_PORT:-19090}
demo_dir=${UPHUB_DEMO_DIR:-/tmp/uphub-demo}
demo_port=${UPHUB_DEMO_PORT:-54320}
work=$(mktemp -d /tmp/uphub-observe.XXXXXX)
out=docs/observability/observe.png

bash scripts/setup.sh
UPHUB_DEMO_EXTRA_CONF="uphub.metrics_listen_address = '127.0.0.1'
uphub.metrics_port = $metrics_port" bash scripts/demo.sh >"$work/demo.log" 2>&1 ||
	{ tail -n 30 "$work/demo.log"; exit 1; }
echo "== demo cluster up (log: $work/demo.log); exporter on 127.0.0.1:$metrics_port"
curl -fsS "http://127.0.0.1:$metrics_port/metrics" >/dev/null

# The shipped config, pointed at this exporter and scraping every 2 s so a
# short run draws a chart.
sed -e "s/127.0.0.1:9753/127.0.0.1:$metrics_port/" \
	-e 's/scrape_interval: 15s/scrape_interval: 2s/' \
	-e 's/evaluation_interval: 15s/evaluation_interval: 2s/' \
	docs/observability/prometheus.yml >"$work/prometheus.yml"
cp docs/observability/uphub-rules.yml "$work/"
promtool check config "$work/prometheus.yml" >/dev/null
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
	--web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
prom_pid=$!
trap 'kill $prom_pid 2>/dev/null || true; wait $prom_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
	curl -fsS "http://127.0.0.1:$prom_port/-/ready" >/dev/null 2>&1 && break
	sleep 0.2
done
echo "== prometheus on 127.0.0.1:$prom_port (data in $work/data)"

start=$(date +%s)
echo "== workload for ${seconds}s"
bash scripts/observe-workload.sh "$demo_dir" "$demo_port" "$seconds"
sleep 5
end=$(date +%s)

query_range() {
	curl -fsS "http://127.0.0.1:$prom_port/api/v1/query_range" \
		--data-urlencode "query=$1" --data-urlencode "start=$start" \
		--data-urlencode "end=$end" --data-urlencode "step=2"
}
query_range 'sum by (operation) (rate(uphub_graphql_requests_total{job="uphub"}[20s]))' >"$work/rate.json"
query_range 'histogram_quantile(0.95, sum by (operation, le) (rate(uphub_graphql_request_duration_seconds_bucket{job="uphub"}[20s]))) * 1000' >"$work/p95.json"
up=$(curl -fsS "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode 'query=up{job="uphub"}' |
	python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")')
echo "== up{job=\"uphub\"} = $up"

# One data file per series: "seconds-since-start value".
python3 - "$work" "$start" <<'PY'
import json, os, sys
work, start = sys.argv[1], int(sys.argv[2])
for metric in ("rate", "p95"):
    series = json.load(open(os.path.join(work, metric + ".json")))["data"]["result"]
    names = []
    for s in sorted(series, key=lambda s: s["metric"].get("operation", "")):
        op = s["metric"].get("operation", "all")
        names.append(op)
        with open(os.path.join(work, f"{metric}-{op}.dat"), "w") as f:
            for t, v in s["values"]:
                if v not in ("NaN", "+Inf", "-Inf"):
                    f.write(f"{float(t) - start:.0f} {v}\n")
    open(os.path.join(work, metric + ".list"), "w").write("\n".join(names))
PY

plot_cmd() {
	local metric=$1 first=1 cmd="plot"
	while read -r op; do
		[ -n "$op" ] || continue
		[ $first -eq 1 ] || cmd="$cmd,"
		cmd="$cmd '$work/$metric-$op.dat' using 1:2 with lines lw 2 title '$op'"
		first=0
	done <"$work/$metric.list"
	echo "$cmd"
}
gnuplot <<GP
set terminal pngcairo size 1100,700 font 'DejaVu Sans,10'
set output '$out'
set multiplot layout 2,1 title 'uphub under a mixed GraphQL workload (Prometheus query API, scraped every 2 s)'
set grid
set key outside right
set xlabel 'seconds since start'
set ylabel 'requests / s'
set title 'Request rate per operation'
$(plot_cmd rate)
set ylabel 'ms'
set title 'p95 latency per operation'
$(plot_cmd p95)
unset multiplot
GP
echo "== wrote $out"
echo "Prometheus keeps running until this script exits; the demo cluster stays up (make demo-stop)."
