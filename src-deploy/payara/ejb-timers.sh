#!/usr/bin/env bash
# Keeps Payara's persistent EJB timers in the database behind the pool: the EJB timer service's datasource set to
# the connector resource ${jndi.name}, then a restart, which the setting needs. Payara creates its timer table
# (EJB__TIMER__TBL) there the first time the timer service starts on it; a domain whose timer service already ran
# on another datasource needs the table created from $PAYARA_HOME/glassfish/lib/install/databases first.
# Run after configure.sh. Usage: src-deploy/payara/ejb-timers.sh [pool.properties]
set -euo pipefail
source "$(dirname "$0")/common.sh"

asadmin set configs.config.server-config.ejb-container.ejb-timer-service.timer-datasource="$(prop jndi.name)"
asadmin restart-domain "${PAYARA_DOMAIN:-domain1}"
