#!/usr/bin/env bash
# The twin of configure.sh: removes the resource and the pool (closing every pooled connection) and undeploys the RAR.
# Applications that injected the resource must be redeployed after the pool is created again.
# Usage: src-deploy/payara/remove.sh [pool.properties]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
props=${1:-$here/pool.properties}
prop() { sed -n "s/^$1=//p" "$props" | tail -n 1; }
asadmin() { "${PAYARA_HOME:?set PAYARA_HOME}/bin/asadmin" --interactive=false "$@"; }

# Removes what is there, so it also cleans up after a configure.sh that stopped half-way.
if asadmin list-connector-resources | grep -qxF "$(prop jndi.name)"; then
  asadmin delete-connector-resource "$(prop jndi.name)"
fi
if asadmin list-connector-connection-pools | grep -qxF "$(prop pool.name)"; then
  asadmin delete-connector-connection-pool "$(prop pool.name)"
fi
if asadmin list-applications | grep -q "^$(prop ra.name) "; then
  asadmin undeploy "$(prop ra.name)"
fi
