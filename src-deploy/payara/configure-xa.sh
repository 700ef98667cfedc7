#!/usr/bin/env bash
# Adds an XA connection pool and its resource ${xa.jndi.name} beside the local pool of configure.sh (run that
# first, with the same ra.name): connections from a javax.sql.XADataSource that Payara enlists in two-phase commits,
# and that its transaction recovery uses (with xa.user / xa.password) to find and finish branches a crash left
# prepared. Switches on the transaction service's automatic recovery, which Payara runs as it starts.
# Usage: src-deploy/payara/configure-xa.sh [pool.properties]     (PAYARA_HOME and AS_ADMIN_PORT as for configure.sh)
# Needs the XA data source's driver on Payara's class path (add-driver.sh) and, for PostgreSQL,
# max_prepared_transactions > 0 in postgresql.conf.
set -euo pipefail
source "$(dirname "$0")/common.sh"

require_whole_numbers pool.max-wait-millis pool.idle-timeout-seconds
require_sizes xa.pool.min xa.pool.max
[ -n "$(prop xa.XADataSourceClass)" ] || fail "xa.XADataSourceClass names no javax.sql.XADataSource class"

adapter=$(adapter_properties "PoolName=$(escape "$(prop xa.jndi.name)")" xa.)
asadmin create-connector-connection-pool --raname "$(prop ra.name)" \
  --connectiondefinition javax.sql.DataSource --transactionsupport XATransaction \
  --steadypoolsize "$(prop xa.pool.min)" --maxpoolsize "$(prop xa.pool.max)" \
  --maxwait "$(prop pool.max-wait-millis)" --idletimeout "$(prop pool.idle-timeout-seconds)" \
  --isconnectvalidatereq "$(prop xa.validate-on-borrow)" --failconnection false \
  --property "$adapter" \
  "$(prop xa.pool.name)"
asadmin create-connector-resource --poolname "$(prop xa.pool.name)" "$(prop xa.jndi.name)"
# Read when the server starts: a server that died with branches prepared finishes them as it comes back.
asadmin set configs.config.server-config.transaction-service.automatic-recovery=true
