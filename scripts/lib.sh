# scripts/lib.sh — shared by scripts/demo.sh, test/run.sh and bench/run.sh.
#
# A private PostgreSQL cluster: its own directory (data, socket, log), its
# own port, uphub preloaded. PostgreSQL refuses to run as root, so when the
# scripts run as root the cluster runs as the `postgres` OS user; otherwise
# as the invoking user.

PG_CONFIG=${PG_CONFIG:-pg_config}
PG_BINDIR=$("$PG_CONFIG" --bindir)
PG_PKGLIBDIR=$("$PG_CONFIG" --pkglibdir)
PGXS_DIR=$(dirname "$("$PG_CONFIG" --pgxs)")/..

# Run a command as the cluster's OS user.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Run a command as root (install steps): directly, or through sudo.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	else
		sudo "$@"
	fi
}

# Build and install uphub; the install is shared by everything on the machine.
build_and_install() {
	make -s -j2 all >/dev/null || return 1
	as_root make -s install >/dev/null || return 1
}

# cluster_create DIR PORT DBNAME [extra postgresql.conf lines...]
cluster_create() {
	local dir=$1 port=$2 db=$3
	shift 3
	cluster_destroy "$dir"
	mkdir -p "$dir"
	chmod 755 "$dir"
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
	as_pg "$PG_BINDIR/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
	as_pg tee -a "$dir/data/postgresql.conf" >/dev/null <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
shared_preload_libraries = 'uphub'
uphub.database = '$db'
timezone = 'Asia/Shanghai'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
log_line_prefix = '%m [%p] %q%a '
log_min_messages = warning
CONF
	local line
	for line in "$@"; do
		printf '%s\n' "$line" | as_pg tee -a "$dir/data/postgresql.conf" >/dev/null
	done
}

cluster_start() {
	local dir=$1
	as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
		{ tail -n 30 "$dir/server.log" >&2; return 1; }
}

cluster_stop() {
	local dir=$1
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
			as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
}

cluster_destroy() {
	local dir=$1
	[ -d "$dir" ] || return 0
	cluster_stop "$dir"
	rm -rf "$dir"
}

# private_install ROOT — a relocated copy of the PostgreSQL server with this
# checkout's uphub installed into it, for long runs (valgrind, soak) that must
# not hold the machine-wide install lock: nobody else's `make install` can
# change the uphub.so or install script they use. PostgreSQL finds its share
# and library directories relative to its own executable, so ROOT mirrors
# the system paths: bin/ is copied (postgres, initdb, pg_ctl resolve
# themselves), the PostgreSQL libraries and share files are symlinked, and
# uphub goes in with `make install DESTDIR=ROOT`. Sets PG_BINDIR to ROOT's.
private_install() {
	local root=$1 f name
	local sharedir pkglibdir
	sharedir=$("$PG_CONFIG" --sharedir)
	pkglibdir=$PG_PKGLIBDIR
	rm -rf "$root"
	mkdir -p "$root$PG_BINDIR" "$root$pkglibdir" "$root$sharedir/extension"
	cp -a "$PG_BINDIR/." "$root$PG_BINDIR/"
	for f in "$pkglibdir"/*; do
		name=${f##*/}
		case $name in uphub*) continue ;; esac
		ln -s "$f" "$root$pkglibdir/$name"
	done
	for f in "$sharedir"/*; do
		name=${f##*/}
		[ "$name" = extension ] && continue
		ln -s "$f" "$root$sharedir/$name"
	done
	for f in "$sharedir"/extension/*; do
		name=${f##*/}
		case $name in uphub*) continue ;; esac
		ln -s "$f" "$root$sharedir/extension/$name"
	done
	make -s -j2 all >/dev/null || return 1
	make -s install DESTDIR="$root" >/dev/null || return 1
	chmod -R a+rX "$root"
	PG_BINDIR=$root$PG_BINDIR
}
