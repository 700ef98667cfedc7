#!/usr/bin/env bash
# The twin of configure.sh: deletes configDropins/overrides/${ra.name}.xml, so Liberty destroys the connection
# factory's pool (closing every pooled connection) and uninstalls the adapter. Waits until Liberty has applied it.
# Usage: WLP_HOME=/opt/wlp LIBERTY_SERVER=defaultServer src-deploy/liberty/remove.sh [pool.properties]
set -euo pipefail
source "$(dirname "$0")/common.sh"

remove_file "$dropin" "J2CA7009I: The resource adapter $(prop ra.name) has uninstalled"
