# Sourced by the scripts beside it: the properties file, asadmin, and checks they share.
# shellcheck shell=bash
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
props=${1:-$here/pool.properties}
script=$(basename "$0")
prop() { sed -n "s/^$1=//p" "$props" | tail -n 1; }
asadmin() { "${PAYARA_HOME:?set PAYARA_HOME}/bin/asadmin" --interactive=false "$@"; }
fail() { echo "$script: $*" >&2; exit 2; }
# asadmin property lists are name=value:name=value; ':' '=' and '\' inside a value must be escaped.
escape() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/:/\\:/g' -e 's/=/\\=/g'; }

# Payara's own refusals name bean properties with unresolved message keys: check the numbers first, in the
# properties file's words, before anything is deployed.
require_whole_numbers() {
  local key
  for key in "$@"; do
    [[ "$(prop "$key")" =~ ^[0-9]+$ ]] || fail "$key must be a whole number (0 or more) but was '$(prop "$key")'"
  done
}
require_sizes() { # min-key max-key
  require_whole_numbers "$1" "$2"
  [ "$(prop "$2")" -ge 1 ] || fail "$2 must be at least 1 but was $(prop "$2")"
  [ "$(prop "$1")" -le "$(prop "$2")" ] || fail "$1 ($(prop "$1")) must not be greater than $2 ($(prop "$2"))"
}

# Appends Property=value for each Property=key pair whose key has a value: an empty value keeps the adapter's default.
adapter_properties() { # initial-list Property=key...
  local list=$1 pair value
  shift
  for pair in "$@"; do
    value=$(prop "${pair#*=}")
    [ -n "$value" ] && list="$list:${pair%%=*}=$(escape "$value")"
  done
  printf '%s' "$list"
}

# Whether asadmin's list command lists that name: removal also cleans up after a half-done configure.
listed() { # list-command name
  asadmin "$1" | awk '{ print $1 }' | grep -qxF "$2"
}
