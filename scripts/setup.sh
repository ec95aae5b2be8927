#!/usr/bin/env bash
# Install the Debian packages of scripts/packages.txt that are missing, Node.js
# when there is none, and the JavaScript dependencies of test/ (npm ci).
# Runs apt-get only when something is missing; as root directly, otherwise
# through sudo. Safe to run any number of times.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

missing=()
while read -r pkg _; do
	case "$pkg" in ''|'#'*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$pkg")
	fi
done < "$here/packages.txt"

# Node.js and npm run the graphql-js check (test/checks/gql_graphql_js.sh).
# Debian's packages are used only when no node is on PATH, so a machine
# with another Node.js (e.g. nodesource's, which ships npm itself) keeps it.
if ! command -v node >/dev/null 2>&1; then
	missing+=(nodejs npm)
elif ! command -v npm >/dev/null 2>&1; then
	missing+=(npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -eq 0 ]; then
		as_root=()
	elif command -v sudo >/dev/null 2>&1; then
		as_root=(sudo)
	else
		echo "setup: missing packages (${missing[*]}) and neither root nor sudo" >&2
		exit 2
	fi

	echo "setup: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	"${as_root[@]}" apt-get update -qq
	# Services must not start on their own; uphub's scripts start what they need.
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
		"${missing[@]}" >/dev/null
	echo "setup: done"
fi

# JavaScript dependencies of the checks (test/package.json, pinned by its
# lock file): installed when test/node_modules is missing or older than the lock.
tests=$(cd "$here/../test" && pwd)
if [ -f "$tests/package-lock.json" ] &&
	{ [ ! -f "$tests/node_modules/.package-lock.json" ] ||
		[ "$tests/package-lock.json" -nt "$tests/node_modules/.package-lock.json" ]; }; then
	echo "setup: npm ci in test/"
	(cd "$tests" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
