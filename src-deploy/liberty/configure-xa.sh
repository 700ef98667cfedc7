#!/usr/bin/env bash
# Adds an XA connection factory ${xa.jndi.name} beside the pool of configure.sh (run that first, with the same file):
# jdbc-pool-xa.xml, rendered with the properties file, becomes configDropins/overrides/${ra.name}-${xa.pool.name}.xml.
# The XA data source's driver must be in driver.jar when configure.sh runs (a comma-separated list takes several);
# PostgreSQL needs max_prepared_transactions > 0.
# Usage: WLP_HOME=/opt/wlp LIBERTY_SERVER=defaultServer src-deploy/liberty/configure-xa.sh [pool.properties]
set -euo pipefail
source "$(dirname "$0")/common.sh"

require_sizes xa.pool.min xa.pool.max
[ -n "$(prop xa.XADataSourceClass)" ] || fail "xa.XADataSourceClass names no javax.sql.XADataSource class"
[ -f "$dropin" ] || fail "no pool of $(prop ra.name) in $dropin: run configure.sh first"

from=$(log_size)
render "$here/jdbc-pool-xa.xml" "$xa_dropin"
await_update "$from" "CWWKG0017I"
echo "$script: $(prop xa.jndi.name) defined in $xa_dropin"
