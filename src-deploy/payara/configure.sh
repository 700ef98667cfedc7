#!/usr/bin/env bash
# Deploys jdbc-pool-ra to a running Payara and creates a connection pool and the resource ${jndi.name} on it.
# Usage: src-deploy/payara/configure.sh [pool.properties]     (PAYARA_HOME must point at the Payara install;
#        AS_ADMIN_PORT / AS_ADMIN_HOST select the domain's admin port and host as usual for asadmin)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
props=${1:-$here/pool.properties}
prop() { sed -n "s/^$1=//p" "$props" | tail -n 1; }
asadmin() { "${PAYARA_HOME:?set PAYARA_HOME}/bin/asadmin" --interactive=false "$@"; }
# asadmin property lists are name=value:name=value; ':' '=' and '\' inside a value must be escaped.
escape() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/:/\\:/g' -e 's/=/\\=/g'; }

# Payara's own refusals name bean properties with unresolved message keys; check the numbers first, in the
# properties file's words, before anything is deployed.
fail() { echo "configure.sh: $*" >&2; exit 2; }
for key in pool.min pool.max pool.max-wait-millis pool.idle-timeout-seconds; do
  [[ "$(prop "$key")" =~ ^[0-9]+$ ]] || fail "$key must be a whole number (0 or more) but was '$(prop "$key")'"
done
leak=$(prop pool.leak-timeout-seconds)
[[ "${leak:-0}" =~ ^[0-9]+$ ]] || fail "pool.leak-timeout-seconds must be a whole number of seconds but was '$leak'"
[ "$(prop pool.max)" -ge 1 ] || fail "pool.max must be at least 1 but was $(prop pool.max)"
[ "$(prop pool.min)" -le "$(prop pool.max)" ] \
  || fail "pool.min ($(prop pool.min)) must not be greater than pool.max ($(prop pool.max))"

pool=$(prop pool.name)
# Adapter properties; an empty value in the properties file leaves the adapter's default.
adapter="PoolName=$(escape "$(prop jndi.name)")"
for pair in Url=db.url User=db.user Password=db.password DriverClass=db.driver-class \
    ValidationQuery=pool.validation-query ValidationTimeout=pool.validation-timeout-seconds \
    QueryTimeout=pool.query-timeout-seconds LoginTimeout=pool.login-timeout-seconds; do
  value=$(prop "${pair#*=}")
  [ -n "$value" ] && adapter="$adapter:${pair%%=*}=$(escape "$value")"
done
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
