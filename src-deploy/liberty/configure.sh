#!/usr/bin/env bash
# Installs jdbc-pool-ra in a Liberty server and defines the connection factory ${jndi.name} on it: jdbc-pool.xml,
# rendered with the properties file, becomes configDropins/overrides/${ra.name}.xml, which a running server applies
# at once (this script waits for it). The server needs no other change: the file brings the connectors-2.1 feature.
# Usage: WLP_HOME=/opt/wlp LIBERTY_SERVER=defaultServer src-deploy/liberty/configure.sh [pool.properties]
set -euo pipefail
source "$(dirname "$0")/common.sh"

require_sizes pool.min pool.max
# Liberty would log its own refusal naming its attribute; name the key of the properties file instead.
for key in pool.connection-timeout pool.max-idle-time pool.reap-time; do
  [[ "$(prop "$key")" =~ ^(-1|[0-9]+(ms|s|m|h)?)$ ]] \
    || fail "$key must be a duration such as 500ms, 30s or 5m (or -1: none) but was '$(prop "$key")'"
done
[[ "$(prop pool.auto-close-connections)" =~ ^(true|false)$ ]] \
  || fail "pool.auto-close-connections must be true or false but was '$(prop pool.auto-close-connections)'"
rar=$(prop rar.path)
[ -f "$rar" ] || fail "rar.path $rar is no file"
for jar in $(prop driver.jar | tr ',' ' '); do
  [ -f "$jar" ] || fail "driver.jar $jar is no file"
done

from=$(log_size)
render "$here/jdbc-pool.xml" "$dropin"
await_update "$from" "J2CA7001I: Resource adapter $(prop ra.name) installed"
echo "$script: $(prop jndi.name) defined in $dropin"
