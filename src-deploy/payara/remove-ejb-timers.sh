#!/usr/bin/env bash
# Undoes ejb-timers.sh: the EJB timer service back on Payara's own timer datasource (jdbc/__TimerPool), then a
# restart. The timer table and its rows stay in the pool's database. Undeploy the applications with persistent
# timers first, and run this before remove.sh: a timer service left on a deleted resource fails at the next start.
# Usage: src-deploy/payara/remove-ejb-timers.sh [pool.properties]
set -euo pipefail
source "$(dirname "$0")/common.sh"

asadmin set configs.config.server-config.ejb-container.ejb-timer-service.timer-datasource=jdbc/__TimerPool
asadmin restart-domain "${PAYARA_DOMAIN:-domain1}"
