#!/usr/bin/env bash
# Redis and PostgreSQL 15 for n8n's queue mode (the distributed engine), for test/e2e/queue.test.cts.
#
#   scripts/queue-services.sh install   installs Debian's redis-server and postgresql-15 when missing (root)
#   scripts/queue-services.sh run       installs when missing, starts both, prints one line
#                                       "QUEUE_SERVICES_READY {json}", then runs until its standard input
#                                       closes (or it reads "stop", or gets SIGTERM/SIGINT/SIGHUP); then it
#                                       stops both and deletes their data.
#
# Environment for `run` (all optional):
#   QUEUE_REDIS_PORT (5716), QUEUE_PG_PORT (5717),
#   QUEUE_REDIS_PASSWORD, QUEUE_PG_PASSWORD (letters and digits; random when unset)
# PostgreSQL: database "n8n" owned by role "n8n" (password authentication over TCP).
# 15 is the only PostgreSQL Debian 12 has (bookworm, bookworm-updates, -security and -backports carry
# no postgresql-16 or -17). n8n 2.40 warns at startup that it wants 17 (16 on compatibility support)
# but runs the whole queue suite on 15; 2.8 and 1.123 do not warn.
#
# Both listen on 127.0.0.1 only (PostgreSQL's socket is in the temporary folder, not /var/run), with data
# in a temporary folder (its path is in the ready line), nothing saved beyond it. The caller keeps a pipe
# to our stdin: when the caller dies, even by SIGKILL, the pipe closes and everything here stops. Process
# groups the caller lists in <folder>/pgids (one a line: the n8n processes it started) are ended first,
# and the whole folder is deleted (the caller may keep its own files there, e.g. n8n's user folder).
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin

log() { echo "queue-services: $*" >&2; }

install_missing() {
	local packages=()
	command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || packages+=(redis-server)
	[ -x "$PG_BIN/postgres" ] || packages+=(postgresql-15)
	[ ${#packages[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != "0" ]; then
		log "missing ${packages[*]}: run 'sudo apt-get update && sudo apt-get install -y ${packages[*]}'"
		exit 1
	fi
	log "installing Debian's ${packages[*]} (once)..."
	# The packages would start their default services (redis on 6379, a PostgreSQL cluster on 5432):
	# forbid that while installing, unless the machine already forbids it (Docker images do).
	local own_policy=0
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		own_policy=1
	fi
	local status=0
	bash "$(dirname "$0")/apt-install.sh" --no-install-recommends "${packages[@]}" || status=$?
	[ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
	[ "$status" = 0 ] || { log "apt-get failed ($status)"; exit "$status"; }
	# On a machine with systemd, do not leave them enabled for the next boot either.
	if [ -d /run/systemd/system ]; then
		for package in "${packages[@]}"; do
			case "$package" in
			redis-server) systemctl disable --now redis-server >/dev/null 2>&1 || true ;;
			postgresql-15) systemctl disable --now postgresql >/dev/null 2>&1 || true ;;
			esac
		done
	fi
	log "installed ${packages[*]}"
}

random_secret() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }

# PostgreSQL refuses to run as root: as root, its programs run as Debian's postgres user.
as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		HOME="$DIR" setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
	else
		"$@"
	fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

run() {
	install_missing
	local redis_port="${QUEUE_REDIS_PORT:-5716}" pg_port="${QUEUE_PG_PORT:-5717}"
	local redis_password="${QUEUE_REDIS_PASSWORD:-$(random_secret)}" pg_password="${QUEUE_PG_PASSWORD:-$(random_secret)}"
	[[ "$redis_password$pg_password" =~ ^[A-Za-z0-9]+$ ]] || { log "passwords: letters and digits only"; exit 2; }
	for port in "$redis_port" "$pg_port"; do
		port_free "$port" || { log "port $port on 127.0.0.1 is in use"; exit 1; }
	done

	DIR=$(mktemp -d /tmp/n8n-queue-services.XXXXXX)
	export QUEUE_SERVICES_DIR="$DIR"
	chmod 755 "$DIR" # PostgreSQL runs as the postgres user and must reach its folder
	REDIS_PID="" PG_PID=""
	trap cleanup EXIT
	trap 'exit 143' TERM
	trap 'exit 130' INT
	trap 'exit 129' HUP

	# ---- Redis: loopback only, a password, no persistence ----
	mkdir -m 700 "$DIR/redis"
	cat >"$DIR/redis/redis.conf" <<-EOF
		bind 127.0.0.1
		port $redis_port
		protected-mode yes
		requirepass $redis_password
		save ""
		appendonly no
		dir $DIR/redis
		daemonize no
		logfile ""
		loglevel warning
	EOF
	chmod 600 "$DIR/redis/redis.conf"
	redis-server "$DIR/redis/redis.conf" >"$DIR/redis.log" 2>&1 &
	REDIS_PID=$!

	# ---- PostgreSQL 15: its own cluster, TCP on 127.0.0.1, socket in our folder ----
	mkdir -m 700 "$DIR/pg" "$DIR/pg-socket"
	[ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR/pg" "$DIR/pg-socket"
	# The superuser is the OS user it runs as (peer authentication on the socket, which only we can reach).
	local superuser=postgres
	[ "$(id -u)" = 0 ] || superuser=$(id -un)
	as_postgres "$PG_BIN/initdb" -D "$DIR/pg/data" -U "$superuser" --auth-local=peer --auth-host=scram-sha-256 \
		--encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
	# Started directly (not with pg_ctl, which detaches it into a session of its own), as a simple command
	# so that $! is the postmaster itself.
	local postgres=("$PG_BIN/postgres" -D "$DIR/pg/data" -p "$pg_port" -k "$DIR/pg-socket" -c listen_addresses=127.0.0.1
		-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 -c logging_collector=off)
	if [ "$(id -u)" = 0 ]; then
		HOME="$DIR" setpriv --reuid=postgres --regid=postgres --init-groups -- "${postgres[@]}" >"$DIR/postgres.log" 2>&1 &
	else
		"${postgres[@]}" >"$DIR/postgres.log" 2>&1 &
	fi
	PG_PID=$!

	local deadline=$((SECONDS + 60))
	until "$PG_BIN/pg_isready" -q -h "$DIR/pg-socket" -p "$pg_port" -U "$superuser" -d postgres; do
		kill -0 "$PG_PID" 2>/dev/null || { cat "$DIR/postgres.log" >&2; log "PostgreSQL exited"; exit 1; }
		[ $SECONDS -lt $deadline ] || { log "PostgreSQL did not start within 60 s"; exit 1; }
		sleep 0.2
	done
	# (The secrets are letters and digits: safe inside quotes, and not on any command line.)
	as_postgres "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h "$DIR/pg-socket" -p "$pg_port" -U "$superuser" -d postgres >/dev/null <<-EOF
		CREATE ROLE n8n LOGIN PASSWORD '$pg_password';
		CREATE DATABASE n8n OWNER n8n;
	EOF

	until REDISCLI_AUTH="$redis_password" redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; do
		kill -0 "$REDIS_PID" 2>/dev/null || { cat "$DIR/redis.log" >&2; log "redis-server exited"; exit 1; }
		[ $SECONDS -lt $deadline ] || { log "redis-server did not start within 60 s"; exit 1; }
		sleep 0.1
	done

	printf 'QUEUE_SERVICES_READY {"dir":"%s","redis":{"host":"127.0.0.1","port":%s,"password":"%s"},"postgres":{"host":"127.0.0.1","port":%s,"database":"n8n","user":"n8n","password":"%s","socketDir":"%s"}}\n' \
		"$DIR" "$redis_port" "$redis_password" "$pg_port" "$pg_password" "$DIR/pg-socket"

	# Until the caller closes our stdin (it ended, or died) or says "stop".
	local line
	while IFS= read -r line; do
		[ "$line" = stop ] && break
	done
}

# Stops the caller's n8n process groups, PostgreSQL (fast shutdown) and Redis, and deletes the data.
cleanup() {
	local status=$?
	# Our caller may be gone with the other end of stderr: writing there must not end us (SIGPIPE, set -e).
	set +e
	trap '' TERM INT HUP PIPE
	if [ -n "${DIR:-}" ] && [ -s "$DIR/pgids" ]; then
		local pgid leader
		while read -r pgid; do
			[[ "$pgid" =~ ^[0-9]+$ ]] || continue
			# Only a group whose leader is still an n8n process (process group IDs are reused).
			leader=$(tr '\0' ' ' <"/proc/$pgid/cmdline" 2>/dev/null || true)
			case "$leader" in *n8n*) kill -TERM -- "-$pgid" 2>/dev/null && log "stopped n8n process group $pgid" ;; esac
		done <"$DIR/pgids"
		sleep 3
		while read -r pgid; do
			[[ "$pgid" =~ ^[0-9]+$ ]] && kill -KILL -- "-$pgid" 2>/dev/null || true
		done <"$DIR/pgids"
	fi
	[ -n "${PG_PID:-}" ] && kill -INT "$PG_PID" 2>/dev/null || true # SIGINT: fast shutdown
	[ -n "${REDIS_PID:-}" ] && kill -TERM "$REDIS_PID" 2>/dev/null || true
	local waited=0
	while { [ -n "${PG_PID:-}" ] && kill -0 "$PG_PID" 2>/dev/null; } || { [ -n "${REDIS_PID:-}" ] && kill -0 "$REDIS_PID" 2>/dev/null; }; do
		if [ $waited -ge 100 ]; then
			kill -KILL "$PG_PID" "$REDIS_PID" 2>/dev/null || true
			# PostgreSQL's backends end by themselves once the postmaster is gone.
			break
		fi
		sleep 0.1
		waited=$((waited + 1))
	done
	wait 2>/dev/null || true
	[ -n "${DIR:-}" ] && rm -rf "$DIR"
	log "stopped Redis and PostgreSQL, removed their data"
	exit "$status"
}

case "${1:-}" in
install) install_missing ;;
run) run ;;
*)
	echo "usage: $0 install|run" >&2
	exit 2
	;;
esac
