#!/usr/bin/env bash
# Gives Payara (and so the resource adapter) a JDBC driver the RAR does not bring: copies the JAR onto the domain's
# common class path with asadmin add-library, then restarts the domain, which only reads that path when it starts.
# No repackaging of the RAR. Run it once per driver, before configure.sh.
# Usage: src-deploy/payara/add-driver.sh [pool.properties]     (PAYARA_HOME as for configure.sh; PAYARA_DOMAIN
# names the domain to restart, domain1 when unset: restart-domain goes by name, not by AS_ADMIN_PORT)
set -euo pipefail
source "$(dirname "$0")/common.sh"

asadmin add-library --type common "$(prop driver.jar)"
asadmin restart-domain "${PAYARA_DOMAIN:-domain1}"
