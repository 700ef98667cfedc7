#!/usr/bin/env bash
# The twin of configure.sh: undeploys the RAR with --cascade, which also deletes every pool and resource on it
# (closing every pooled connection; configure-xa.sh's XA pools go with it). Applications that injected the resource
# must be redeployed after the pool is created again. Removes what is there, so it also cleans up after a
# configure.sh that stopped half-way.
# Usage: src-deploy/payara/remove.sh [pool.properties]
set -euo pipefail
source "$(dirname "$0")/common.sh"

if listed list-applications "$(prop ra.name)"; then
  asadmin undeploy --cascade=true "$(prop ra.name)"
fi
