#!/usr/bin/env bash
# Gives the TCK a fresh schema of its own in the machine's PostgreSQL and MariaDB: a user and database tck in each
# (password tck, as the TCK's ts.jte names them), loaded with the TCK's DDL and stored procedures from ../shared/tck/sql.
# The DDL starts with drops, so errors for objects not there yet are expected and ignored, as the TCK's README says.
# Usage: load-tck-schema.sh <shared/tck/sql directory>
set -euo pipefail
sql=${1:?the TCK sql directory}
log=${TCK_SCHEMA_LOG:-/dev/null}

command psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U postgres -d postgres <<'SQL'
SELECT 'CREATE ROLE tck LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tck') \gexec
ALTER ROLE tck LOGIN PASSWORD 'tck';
SELECT 'CREATE DATABASE tck OWNER tck' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'tck') \gexec
SQL
for file in postgresql.ddl.sql postgresql.ddl.sprocs.sql; do
  PGPASSWORD=tck command psql -q -h 127.0.0.1 -U tck -d tck -f "$sql/postgresql/$file" >>"$log" 2>&1 || true
done
tables=$(PGPASSWORD=tck command psql -At -h 127.0.0.1 -U tck -d tck -c \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")

mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -uroot <<'SQL'
CREATE DATABASE IF NOT EXISTS tck;
CREATE USER IF NOT EXISTS 'tck'@'localhost' IDENTIFIED BY 'tck';
CREATE USER IF NOT EXISTS 'tck'@'127.0.0.1' IDENTIFIED BY 'tck';
GRANT ALL PRIVILEGES ON tck.* TO 'tck'@'localhost';
GRANT ALL PRIVILEGES ON tck.* TO 'tck'@'127.0.0.1';
SQL
for file in mysql.ddl.sql mysql.ddl.sprocs.sql; do
  mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -utck -ptck --force --delimiter='!' tck <"$sql/mysql/$file" >>"$log" 2>&1 || true
done
mtables=$(mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -utck -ptck -N -e \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'tck'")
echo "TCK schema loaded: $tables tables in PostgreSQL database tck, $mtables in MariaDB database tck"
