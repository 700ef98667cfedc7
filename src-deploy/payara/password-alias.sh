#!/usr/bin/env bash
# Keeps the pool's password out of Payara's configuration: stores secret.clear-text as the password alias
# secret.alias (created, or updated when it exists) and prints the reference to put into the pool's properties,
#     Password=${ALIAS=pool-password}
# Payara resolves it whenever it builds the pool, so domain.xml and server.log never hold the password (the alias
# lives encrypted in the domain's config/domain-passwords). Rotating: run this again with the new password. Payara
# resolves the alias only when it builds the pool, not on flush or ping, so when pool.name's pool exists the script
# sets its Password again (to the same reference), which makes Payara rebuild it with the new value. An environment
# variable works the same way without an alias: Password=${ENV=POOL_PASSWORD} (set for the process that starts
# the domain). Give secret.clear-text in a properties file of its own and delete it afterwards.
# Usage: src-deploy/payara/password-alias.sh secret.properties     (PAYARA_HOME as for configure.sh)
set -euo pipefail
source "$(dirname "$0")/common.sh"

alias_name=$(prop secret.alias)
[ -n "$alias_name" ] || fail "secret.alias is not set in $props"
[ -n "$(prop secret.clear-text)" ] || fail "secret.clear-text is not set in $props"
passwords=$(mktemp)
trap 'rm -f "$passwords"' EXIT
chmod 600 "$passwords"
printf 'AS_ADMIN_ALIASPASSWORD=%s\n' "$(prop secret.clear-text)" > "$passwords"
if asadmin list-password-aliases | grep -qxF "$alias_name"; then
  asadmin --passwordfile "$passwords" update-password-alias "$alias_name" > /dev/null
  pool=$(prop pool.name)
  if [ -n "$pool" ] && listed list-connector-connection-pools "$pool"; then
    asadmin set "resources.connector-connection-pool.$pool.property.Password=\${ALIAS=$alias_name}" > /dev/null
  fi
else
  asadmin --passwordfile "$passwords" create-password-alias "$alias_name" > /dev/null
fi
printf '${ALIAS=%s}\n' "$alias_name"
