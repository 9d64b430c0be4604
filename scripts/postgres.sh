# Sourced by scripts/test: a throwaway PostgreSQL server on localhost for the storage
# tests, from Debian's packages, stopped when the tests end. Sets
# KOMMUNKARTA_TEST_POSTGRES_URL; a URL given beforehand is used as it is.

start_test_postgres() {
    if [ -n "${KOMMUNKARTA_TEST_POSTGRES_URL:-}" ]; then
        return 0
    fi
    local bindir
    # The server's programs; the client package alone has the folder without initdb.
    bindir=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname || true)
    if [ -z "$bindir" ]; then
        # Debian's package may fail to start its own cluster where there is no init
        # system; that cluster is not used, so only the binaries matter.
        if [ "$(id -u)" = 0 ]; then
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } \
                || echo "note: apt-get install postgresql reported an error" >&2
        elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } \
                || echo "note: apt-get install postgresql reported an error" >&2
        fi
        bindir=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname || true)
    fi
    if [ -z "$bindir" ]; then
        echo "note: PostgreSQL is not installed and cannot be installed without root;" \
             "the PostgreSQL storage tests will be skipped (apt-get install postgresql)." >&2
        return 0
    fi
    # initdb refuses to run as root; the server then runs as Debian's postgres user.
    local as=()
    if [ "$(id -u)" = 0 ]; then
        as=(runuser -u postgres --)
    fi
    TEST_POSTGRES_DIR=$(mktemp -d /tmp/kommunkarta-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres: "$TEST_POSTGRES_DIR"
    local port
    port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if "${as[@]}" "$bindir/initdb" -D "$TEST_POSTGRES_DIR/data" -U postgres -A trust -E UTF8 --no-sync >"$TEST_POSTGRES_DIR/initdb.log" 2>&1 \
        && "${as[@]}" "$bindir/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -l "$TEST_POSTGRES_DIR/server.log" -w -t 60 \
            -o "-p $port -k $TEST_POSTGRES_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
        export KOMMUNKARTA_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
        TEST_POSTGRES_CTL=("${as[@]}" "$bindir/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -m fast -w stop)
        echo "PostgreSQL for the tests: 127.0.0.1:$port ($TEST_POSTGRES_DIR)" >&2
    else
        echo "note: the test PostgreSQL server did not start; see $TEST_POSTGRES_DIR/*.log" >&2
    fi
}

stop_test_postgres() {
    if [ -n "${TEST_POSTGRES_CTL+x}" ]; then
        "${TEST_POSTGRES_CTL[@]}" >/dev/null 2>&1 || true
        rm -rf "$TEST_POSTGRES_DIR"
    fi
}
