#!/usr/bin/env bash
# Deploys jdbc-pool-ra to a running Payara and creates a connection pool and the resource ${jndi.name} on it.
# Usage: src-deploy/payara/configure.sh [pool.properties]     (PAYARA_HOME must point at the Payara install;
#        AS_ADMIN_PORT / AS_ADMIN_HOST select the domain's admin port and host as usual for asadmin)
set -euo pipefail
source "$(dirname "$0")/common.sh"

require_whole_numbers pool.max-wait-millis pool.idle-timeout-seconds
require_sizes pool.min pool.max
leak=$(prop pool.leak-timeout-seconds)
[[ "${leak:-0}" =~ ^[0-9]+$ ]] || fail "pool.leak-timeout-seconds must be a whole number of seconds but was '$leak'"

pool=$(prop pool.name)
adapter=$(adapter_properties "PoolName=$(escape "$(prop jndi.name)")")
asadmin deploy --name "$(prop ra.name)" "$(prop rar.path)"
asadmin create-connector-connection-pool --raname "$(prop ra.name)" \
  --connectiondefinition javax.sql.DataSource --transactionsupport LocalTransaction \
  --steadypoolsize "$(prop pool.min)" --maxpoolsize "$(prop pool.max)" \
  --maxwait "$(prop pool.max-wait-millis)" --idletimeout "$(prop pool.idle-timeout-seconds)" \
  --isconnectvalidatereq "$(prop pool.validate-on-borrow)" --failconnection false \
  --leaktimeout "${leak:-0}" --leakreclaim "$([ "${leak:-0}" -gt 0 ] && echo true || echo false)" \
  --property "$adapter" \
  "$pool"
asadmin create-connector-resource --poolname "$pool" "$(prop jndi.name)"
# Pool statistics (asadmin get -m 'server.resources.<pool>.*'); switched off and on so that a pool re-created
# under the same name reports again.
level=configs.config.server-config.monitoring-service.module-monitoring-levels.connector-connection-pool
asadmin set "$level=OFF"
asadmin set "$level=HIGH"
