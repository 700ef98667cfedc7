#!/usr/bin/env bash
# The twin of configure-xa.sh: deletes the XA connection factory's file, so Liberty destroys its pool. Run it before
# remove.sh. Waits until Liberty has applied it.
# Usage: WLP_HOME=/opt/wlp LIBERTY_SERVER=defaultServer src-deploy/liberty/remove-xa.sh [pool.properties]
set -euo pipefail
source "$(dirname "$0")/common.sh"

remove_file "$xa_dropin" "CWWKG0017I"
