#!/usr/bin/env bash
# The twin of configure.sh: removes the resource and the pool (closing every pooled connection) and undeploys the RAR.
# Applications that injected the resource must be redeployed after the pool is created again. Removes what is
# there, so it also cleans up after a configure.sh that stopped half-way.
# Usage: src-deploy/payara/remove.sh [pool.properties]
set -euo pipefail
source "$(dirname "$0")/common.sh"

delete_if_listed list-connector-resources delete-connector-resource "$(prop jndi.name)"
delete_if_listed list-connector-connection-pools delete-connector-connection-pool "$(prop pool.name)"
delete_if_listed list-applications undeploy "$(prop ra.name)"
