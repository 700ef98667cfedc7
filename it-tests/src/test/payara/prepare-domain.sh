#!/usr/bin/env bash
# Creates a fresh Payara domain for the integration tests: its own port base (so it never collides with a server a
# user runs), an HTTP thread pool larger than Payara's default of 5 (so that concurrent test borrowers queue in the
# connection pool, not in the web container), and no Hazelcast data grid (it would bind to the machine's network
# address; the tests need no clustering and keep all traffic on loopback).
set -euo pipefail
home=$1 domain=$2 portbase=$3
asadmin="$home/bin/asadmin"
if [ -d "$home/glassfish/domains/$domain" ]; then
  AS_ADMIN_PORT=$((portbase + 48)) "$asadmin" stop-domain "$domain" >/dev/null 2>&1 || true
  "$asadmin" delete-domain "$domain"
fi
"$asadmin" create-domain --portbase "$portbase" --nopassword "$domain"
sed -i 's|<thread-pool name="http-thread-pool"|<thread-pool name="http-thread-pool" max-thread-pool-size="32"|' \
  "$home/glassfish/domains/$domain/config/domain.xml"
grep -q 'name="http-thread-pool" max-thread-pool-size="32"' "$home/glassfish/domains/$domain/config/domain.xml"
sed -i '0,/<hazelcast-config-specific-configuration><\/hazelcast-config-specific-configuration>/s||<hazelcast-config-specific-configuration enabled="false"></hazelcast-config-specific-configuration>|' \
  "$home/glassfish/domains/$domain/config/domain.xml"
grep -q '<hazelcast-config-specific-configuration enabled="false">' "$home/glassfish/domains/$domain/config/domain.xml"
