#!/usr/bin/env bash
# Makes sure the local PostgreSQL (127.0.0.1:5432) and MariaDB (127.0.0.1:3306) are up and holds what the
# real-database suite needs: a database pool_it in each, owned by a user pool_it with a password (the credential
# tests need one), and prepared transactions in PostgreSQL. Idempotent; run as root (or a user that may start the
# services and administer both databases).
#
# With a name and two ports it prepares a second pair beside the machine's instead, created on first use: a
# PostgreSQL cluster of that name on the first port and a MariaDB instance of that name on the second (its own data
# directory and /etc/mysql/mariadb-NAME.cnf). .ci/run gives each of its two lanes a pair, so that one lane's fault
# scenarios (a restarted database, killed sessions) never reach the other lane's server.
# Usage: it-tests/src/test/databases/prepare.sh [NAME POSTGRESQL_PORT MARIADB_PORT]
set -euo pipefail
password=pool-Secret-4711
name=${1:-}
pg_port=${2:-5432}
my_port=${3:-3306}
pg_version=$(ls /etc/postgresql | sort -V | tail -n 1)
cluster=${name:-main}

if [ -n "$name" ] && [ ! -d "/etc/postgresql/$pg_version/$cluster" ]; then
  # Loopback logins trusted as on the machine's cluster; pool_it alone must prove its password (below).
  pg_createcluster --port "$pg_port" "$pg_version" "$cluster" -- --auth-local=trust --auth-host=trust >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1 -p "$pg_port"; then
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" "$cluster" start
fi

mariadb_cnf=
if [ -n "$name" ]; then
  mariadb_cnf=/etc/mysql/mariadb-$name.cnf
  datadir=/var/lib/mysql-$name
  if [ ! -f "$mariadb_cnf" ]; then
    cat > "$mariadb_cnf" <<CNF
[mysqld]
user = mysql
pid-file = /run/mysqld/mariadb-$name.pid
socket = /run/mysqld/mariadb-$name.sock
basedir = /usr
datadir = $datadir
bind-address = 127.0.0.1
port = $my_port
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
log-error = /var/log/mysql/error-$name.log
CNF
  fi
  if [ ! -d "$datadir/mysql" ]; then
    mkdir -p "$datadir" /run/mysqld /var/log/mysql
    chown mysql:mysql "$datadir" /run/mysqld /var/log/mysql
    mariadb-install-db --defaults-file="$mariadb_cnf" --user=mysql >/dev/null
  fi
fi
if ! mariadb-admin --protocol=tcp -h 127.0.0.1 -P "$my_port" -uroot ping >/dev/null 2>&1; then
  if [ -n "$mariadb_cnf" ]; then
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --pidfile "/run/mysqld/mariadb-$name.pid" \
      --exec /usr/sbin/mariadbd -- --defaults-file="$mariadb_cnf"
  else
    # By pid file: a second instance runs the same executable.
    start-stop-daemon --start --oknodo --background --pidfile /run/mysqld/mysqld.pid --exec /usr/sbin/mariadbd
  fi
fi
for _ in $(seq 60); do
  pg_isready -q -h 127.0.0.1 -p "$pg_port" && mariadb-admin --protocol=tcp -h 127.0.0.1 -P "$my_port" -uroot ping \
    >/dev/null 2>&1 && break
  # A fresh instance's root logs in through its socket only, until given a loopback account below.
  [ -n "$mariadb_cnf" ] && mariadb-admin -S "/run/mysqld/mariadb-$name.sock" -uroot ping >/dev/null 2>&1 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$pg_port"
if [ -n "$mariadb_cnf" ]; then
  mariadb -S "/run/mysqld/mariadb-$name.sock" -uroot <<SQL
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
SQL
fi
mariadb-admin --protocol=tcp -h 127.0.0.1 -P "$my_port" -uroot ping

# Two-phase commit (the XA scenarios) needs prepared transactions, which PostgreSQL only keeps when
# max_prepared_transactions > 0; it is read at start, so a change restarts the cluster.
if [ "$(command psql -At -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c 'SHOW max_prepared_transactions')" = 0 ]
then
  command psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c 'ALTER SYSTEM SET max_prepared_transactions = 20'
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" "$cluster" restart
  for _ in $(seq 60); do pg_isready -q -h 127.0.0.1 -p "$pg_port" && break; sleep 1; done
fi

# pg_hba.conf here trusts every loopback login; pool_it must prove its password (first matching line wins).
hba=$(command psql -At -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c 'SHOW hba_file')
if ! grep -q '^host pool_it pool_it 127.0.0.1/32 scram-sha-256' "$hba"; then
  sed -i '0,/^\(local\|host\)/s//host pool_it pool_it 127.0.0.1\/32 scram-sha-256\n&/' "$hba"
  command psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c 'SELECT pg_reload_conf()' >/dev/null
fi

psql() { command psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
psql -d postgres <<SQL
SELECT 'CREATE ROLE pool_it LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pool_it') \gexec
ALTER ROLE pool_it LOGIN PASSWORD '$password';
SELECT 'CREATE DATABASE pool_it OWNER pool_it' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'pool_it') \gexec
SQL

mariadb --protocol=tcp -h 127.0.0.1 -P "$my_port" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS pool_it;
CREATE USER IF NOT EXISTS 'pool_it'@'localhost' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS 'pool_it'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER 'pool_it'@'localhost' IDENTIFIED BY '$password';
ALTER USER 'pool_it'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON pool_it.* TO 'pool_it'@'localhost';
GRANT ALL PRIVILEGES ON pool_it.* TO 'pool_it'@'127.0.0.1';
SQL
echo "PostgreSQL ($cluster, port $pg_port) and MariaDB (port $my_port) are up with database and user pool_it"
