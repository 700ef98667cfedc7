#!/usr/bin/env bash
# The twin of configure-xa.sh: deletes the XA pool and, with --cascade, its resource; the adapter and the local pool
# stay. Leaves the transaction service's automatic recovery on: other resources may need it.
# Usage: src-deploy/payara/remove-xa.sh [pool.properties]
set -euo pipefail
source "$(dirname "$0")/common.sh"

if listed list-connector-connection-pools "$(prop xa.pool.name)"; then
  asadmin delete-connector-connection-pool --cascade=true "$(prop xa.pool.name)"
fi
