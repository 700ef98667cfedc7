#!/usr/bin/env bash
# The twin of configure-xa.sh: removes the XA resource and its pool; run it before remove.sh, which undeploys the
# adapter. Leaves the transaction service's automatic recovery on: other resources may need it.
# Usage: src-deploy/payara/remove-xa.sh [pool.properties]
set -euo pipefail
source "$(dirname "$0")/common.sh"

delete_if_listed list-connector-resources delete-connector-resource "$(prop xa.jndi.name)"
delete_if_listed list-connector-connection-pools delete-connector-connection-pool "$(prop xa.pool.name)"
