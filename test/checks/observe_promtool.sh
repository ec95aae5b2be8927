#!/usr/bin/env bash
# The shipped Prometheus config and rules are valid, and every alert fires
# and stays silent where its unit tests say (promtool from Debian's prometheus).
set -euo pipefail
cd "$(dirname "$0")/../../docs/observability"
promtool check config prometheus.yml
promtool check rules uphub-rules.yml
promtool test rules tests/uphub-rules.test.yml
