#!/usr/bin/env bash
# The twin of configure.sh: removes the resource and the pool (closing every pooled connection) and undeploys the RAR.
# Applications that injected the resource must be redeployed after the pool is created again.
# Usage: src-deploy/payara/remove.sh [pool.properties]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
props=${1:-$here/pool.properties}
prop() { sed -n "s/^$1=//p" "$props" | tail -n 1; }
asadmin() { "${PAYARA_HOME:?set PAYARA_HOME}/bin/asadmin" --interactive=false "$@"; }

asadmin delete-connector-resource "$(prop jndi.name)"
asadmin delete-connector-connection-pool "$(prop pool.name)"
asadmin undeploy "$(prop ra.name)"
