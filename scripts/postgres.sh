#!/usr/bin/env bash
# A private PostgreSQL cluster for Insight Hub, on loopback only.
#
#   scripts/postgres.sh install          install the server (Debian package) if it is missing
#   scripts/postgres.sh start DIR PORT   initdb in DIR (once) and start on 127.0.0.1:PORT;
#                                        prints the superuser DSN on stdout
#   scripts/postgres.sh dsn DIR          print that DSN again
#   scripts/postgres.sh stop DIR         stop the cluster in DIR
#   scripts/postgres.sh bindir           print where the server binaries are
#
# Layout of DIR: data/ (the cluster), run/ (its socket), server.log, port, superuser.password
# (random, mode 0600). Authentication is scram-sha-256 over TCP on 127.0.0.1 only; the socket sits
# in DIR/run. Run as root, the server runs as the `postgres` system user (PostgreSQL refuses root).
# INSIGHT_HUB_PG_EPHEMERAL=1 turns fsync off: for throw-away test clusters only.
set -euo pipefail

SUPERUSER=postgres
DATABASE=insight_hub

die() { echo "postgres.sh: $*" >&2; exit 1; }

bindir() {
    local d
    if [[ -n "${PG_BINDIR:-}" && -x "${PG_BINDIR}/postgres" ]]; then echo "$PG_BINDIR"; return 0; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$d/postgres" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
    done
    if command -v pg_config >/dev/null 2>&1; then
        d="$(pg_config --bindir)"
        if [[ -x "$d/postgres" && -x "$d/initdb" ]]; then echo "$d"; return 0; fi
    fi
    return 1
}

install() {
    if bindir >/dev/null; then return 0; fi
    [[ "$(id -u)" == 0 ]] || die "PostgreSQL server binaries not found and not root: install the 'postgresql' package"
    command -v apt-get >/dev/null || die "PostgreSQL server binaries not found and no apt-get"
    # No default cluster: each user of this script starts its own.
    if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
        mkdir -p /etc/postgresql-common
        echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || true
    apt-get install -y -qq -o Dpkg::Options::=--force-confold postgresql >/dev/null \
        || die "apt-get install postgresql failed"
    bindir >/dev/null || die "installed postgresql but found no server binaries"
}

# Run a command as the cluster's owner: ourselves, or `postgres` when we are root.
as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

dsn() {
    local dir="$1"
    [[ -f "$dir/port" && -f "$dir/superuser.password" ]] || die "no cluster in $dir (run start)"
    local port pw
    port="$(cat "$dir/port")"
    pw="$(cat "$dir/superuser.password")"
    echo "postgresql://${SUPERUSER}:${pw}@127.0.0.1:${port}/${DATABASE}"
}

start() {
    local dir="$1" port="$2"
    [[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number"
    local bin
    bin="$(bindir)" || die "PostgreSQL server binaries not found: run scripts/postgres.sh install"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    local data="$dir/data" run="$dir/run" log="$dir/server.log"
    if [[ "$(id -u)" == 0 ]]; then
        getent passwd postgres >/dev/null || die "no 'postgres' system user to run the server"
        chmod 711 "$dir"
    fi
    if [[ ! -f "$data/PG_VERSION" ]]; then
        umask 077
        head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/superuser.password"
        mkdir -p "$data" "$run"
        touch "$log"
        local pwfile="$run/.pw"
        cp "$dir/superuser.password" "$pwfile"
        if [[ "$(id -u)" == 0 ]]; then chown -R postgres: "$data" "$run" "$log"; fi
        as_owner test -x "$data" || die "the postgres user cannot reach $data: choose a DIR under a world-traversable path"
        as_owner "$bin/initdb" -D "$data" -U "$SUPERUSER" --pwfile="$pwfile" \
            --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null \
            || { rm -f "$pwfile"; die "initdb failed"; }
        rm -f "$pwfile"
        # Loopback only; nothing else may connect.
        as_owner sh -c "printf '%s\n' \
            'local all all scram-sha-256' \
            'host all all 127.0.0.1/32 scram-sha-256' > '$data/pg_hba.conf'"
        umask 022
    fi
    local extra=""
    if [[ "${INSIGHT_HUB_PG_EPHEMERAL:-0}" == 1 ]]; then
        extra="fsync = off
synchronous_commit = off
full_page_writes = off"
    fi
    as_owner sh -c "cat > '$data/postgresql.auto.conf'" <<EOF
# written by scripts/postgres.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$run'
unix_socket_permissions = 0700
password_encryption = 'scram-sha-256'
$extra
EOF
    local running=0
    if as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        if [[ "$(cat "$dir/port" 2>/dev/null)" == "$port" ]]; then
            running=1
        else
            as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
        fi
    fi
    echo "$port" > "$dir/port"
    if [[ "$running" == 0 ]]; then
        as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null \
            || { tail -n 20 "$log" >&2; die "pg_ctl start failed (log: $log)"; }
    fi
    local pw
    pw="$(cat "$dir/superuser.password")"
    if ! PGPASSWORD="$pw" "$bin/psql" -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres -XtAq \
        -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
        PGPASSWORD="$pw" "$bin/psql" -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres -Xq \
            -c "CREATE DATABASE $DATABASE" >/dev/null
    fi
    dsn "$dir"
}

stop() {
    local dir="$1"
    local bin
    bin="$(bindir)" || die "PostgreSQL server binaries not found"
    [[ -d "$dir/data" ]] || return 0
    if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
}

cmd="${1:-}"
case "$cmd" in
    install) install ;;
    start) [[ $# -eq 3 ]] || die "usage: $0 start DIR PORT"; start "$2" "$3" ;;
    stop) [[ $# -eq 2 ]] || die "usage: $0 stop DIR"; stop "$2" ;;
    dsn) [[ $# -eq 2 ]] || die "usage: $0 dsn DIR"; dsn "$2" ;;
    bindir) bindir || die "PostgreSQL server binaries not found" ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; [[ -z "$cmd" || "$cmd" == -h || "$cmd" == --help ]] ;;
esac
