#!/usr/bin/env bash
# Gives Payara (and so the resource adapter) a JDBC driver the RAR does not bring: copies the JAR onto the domain's
# common class path with asadmin add-library, then restarts the domain, which only reads that path when it starts.
# No repackaging of the RAR. Run it once, before configure.sh.
# Usage: src-deploy/payara/add-driver.sh [pool.properties]     (PAYARA_HOME as for configure.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
props=${1:-$here/pool.properties}
prop() { sed -n "s/^$1=//p" "$props" | tail -n 1; }
asadmin() { "${PAYARA_HOME:?set PAYARA_HOME}/bin/asadmin" --interactive=false "$@"; }

asadmin add-library --type common "$(prop driver.jar)"
asadmin restart-domain "${PAYARA_DOMAIN:-domain1}"
