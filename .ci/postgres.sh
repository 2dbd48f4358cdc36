#!/usr/bin/env bash
# Makes a local PostgreSQL available for the tests on 127.0.0.1:5432, user postgres,
# password postgres. Installs it with apt-get when absent; safe to run again while it runs.
set -euo pipefail

PG_PASSWORD="${LETHE_TEST_PG_PASSWORD:-postgres}"

log() { echo "[postgres.sh] $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    log "installing PostgreSQL with apt-get"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql postgresql-contrib
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
CLUSTER=main

if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
    log "creating cluster $VERSION/$CLUSTER"
    pg_createcluster --port 5432 "$VERSION" "$CLUSTER"
fi

# why: without systemd nothing creates the socket directory at boot.
install -d -o postgres -g postgres -m 2775 /var/run/postgresql

CONF_DIR="/etc/postgresql/$VERSION/$CLUSTER"
# why: a throwaway test cluster; durability is not worth the fsyncs of hundreds of
# CREATE DATABASE + migrations, and several engineers' suites share it.
cat > "$CONF_DIR/conf.d/lethe-tests.conf" <<CONF
listen_addresses = '127.0.0.1'
port = 5432
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
chown postgres:postgres "$CONF_DIR/conf.d/lethe-tests.conf"

status="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { print $4 }')"
if [ "$status" = "online" ]; then
    # why: a running server reads changed settings on reload; only then does it report
    # the ones that need a restart.
    pg_ctlcluster "$VERSION" "$CLUSTER" reload
    pending="$(runuser -u postgres -- psql -XAtqc "SELECT count(*) FROM pg_settings WHERE pending_restart" 2>/dev/null || echo 1)"
    if [ "$pending" != "0" ]; then
        log "restarting $VERSION/$CLUSTER to apply settings"
        pg_ctlcluster "$VERSION" "$CLUSTER" restart
    fi
else
    log "starting $VERSION/$CLUSTER"
    pg_ctlcluster "$VERSION" "$CLUSTER" start
fi

for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p 5432; then
        break
    fi
    sleep 1
done
pg_isready -h 127.0.0.1 -p 5432

runuser -u postgres -- psql -Xq -v ON_ERROR_STOP=1 -v pw="$PG_PASSWORD" <<'SQL'
ALTER USER postgres PASSWORD :'pw';
SQL

PGPASSWORD="$PG_PASSWORD" psql -Xq -h 127.0.0.1 -p 5432 -U postgres -d postgres -c "SELECT 1" >/dev/null
log "PostgreSQL $VERSION ready on 127.0.0.1:5432 (user postgres)"
