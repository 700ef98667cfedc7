#!/usr/bin/env bash
# Makes sure the local PostgreSQL (127.0.0.1:5432) and MariaDB (127.0.0.1:3306) are up and holds what the
# real-database suite needs: a database pool_it in each, owned by a user pool_it with a password (the credential
# tests need one), and prepared transactions in PostgreSQL. Idempotent; run as root (or a user that may start the services and administer both databases).
# Usage: it-tests/src/test/databases/prepare.sh
set -euo pipefail
password=pool-Secret-4711

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
fi
if ! mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
for _ in $(seq 60); do
  pg_isready -q -h 127.0.0.1 -p 5432 && mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432
mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping

# Two-phase commit (the XA scenarios) needs prepared transactions, which PostgreSQL only keeps when
# max_prepared_transactions > 0; it is read at start, so a change restarts the cluster.
if [ "$(command psql -At -h 127.0.0.1 -U postgres -d postgres -c 'SHOW max_prepared_transactions')" = 0 ]; then
  command psql -q -h 127.0.0.1 -U postgres -d postgres -c 'ALTER SYSTEM SET max_prepared_transactions = 20'
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main restart
  for _ in $(seq 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# pg_hba.conf here trusts every loopback login; pool_it must prove its password (first matching line wins).
hba=$(command psql -At -h 127.0.0.1 -U postgres -d postgres -c 'SHOW hba_file')
if ! grep -q '^host pool_it pool_it 127.0.0.1/32 scram-sha-256' "$hba"; then
  sed -i '0,/^\(local\|host\)/s//host pool_it pool_it 127.0.0.1\/32 scram-sha-256\n&/' "$hba"
  command psql -q -h 127.0.0.1 -U postgres -d postgres -c 'SELECT pg_reload_conf()' >/dev/null
fi

psql() { command psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U postgres "$@"; }
psql -d postgres <<SQL
SELECT 'CREATE ROLE pool_it LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pool_it') \gexec
ALTER ROLE pool_it LOGIN PASSWORD '$password';
SELECT 'CREATE DATABASE pool_it OWNER pool_it' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'pool_it') \gexec
SQL

mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -uroot <<SQL
CREATE DATABASE IF NOT EXISTS pool_it;
CREATE USER IF NOT EXISTS 'pool_it'@'localhost' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS 'pool_it'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER 'pool_it'@'localhost' IDENTIFIED BY '$password';
ALTER USER 'pool_it'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON pool_it.* TO 'pool_it'@'localhost';
GRANT ALL PRIVILEGES ON pool_it.* TO 'pool_it'@'127.0.0.1';
SQL
echo "PostgreSQL and MariaDB are up with database and user pool_it"
