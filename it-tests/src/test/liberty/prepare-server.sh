#!/usr/bin/env bash
# Creates a fresh Liberty server for the integration tests: its own HTTP port (so it never collides with a server a
# user runs), enough threads for concurrent borrowers from the start, the features the probe and the example need, the local JMX connector (Arquillian deploys through it,
# the tests read Liberty's ConnectionPoolStats through it) and monitoring. The pool itself comes from
# src-deploy/liberty/configure.sh, which brings the connectors feature.
set -euo pipefail
home=$1 server=$2 http_port=$3
if [ -d "$home/usr/servers/$server" ]; then
  "$home/bin/server" stop "$server" > /dev/null 2>&1 || true
  rm -rf "$home/usr/servers/$server"
fi
"$home/bin/server" create "$server" > /dev/null
cat > "$home/usr/servers/$server/server.xml" <<XML
<server description="jdbc-pool-ra integration tests">
    <featureManager>
        <feature>jndi-1.0</feature>
        <feature>servlet-6.0</feature>
        <feature>restfulWS-3.1</feature>
        <feature>jsonb-3.0</feature>
        <feature>cdi-4.0</feature>
        <feature>enterpriseBeansLite-4.0</feature>
        <feature>localConnector-1.0</feature>
        <feature>monitor-1.0</feature>
    </featureManager>
    <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="$http_port" httpsPort="-1"/>
    <applicationManager autoExpand="true"/>
    <!-- Liberty's executor grows its threads slowly from a few per core: concurrent test borrowers must queue in
         the connection pool, not in front of the web container. -->
    <executor coreThreads="32"/>
    <!-- The tests wait for each configuration change; polling often keeps that short. -->
    <config monitorInterval="200ms"/>
    <applicationMonitor pollingRate="200ms"/>
</server>
XML
# securityUtility's {aes} values need a key the server knows (Liberty has no built-in one): one made up per server.
echo "wlp.password.encryption.key=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" \
  > "$home/usr/servers/$server/bootstrap.properties"
