# Sourced by the scripts beside it: the properties file, asadmin, and checks they share.
# shellcheck shell=bash
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
props=${1:-$here/pool.properties}
script=$(basename "$0")
prop() { sed -n "s/^${1//./\\.}=//p" "$props" | tail -n 1; }
asadmin() { "${PAYARA_HOME:?set PAYARA_HOME}/bin/asadmin" --interactive=false "$@"; }
fail() { echo "$script: $*" >&2; exit 2; }
# asadmin property lists are name=value:name=value; ':' '=' and '\' inside a value must be escaped.
# asadmin reads --property values like a shell reads words: ':' and '=' separate, quotes quote; escape them all.
escape() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/:/\\:/g' -e 's/=/\\=/g' -e "s/'/\\\\'/g" -e 's/"/\\"/g'; }

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

# The adapter properties of the properties file, appended to an asadmin property list (Name=value:Name=value): every
# key that starts with a capital letter is one, named as README's "Adapter properties" table names it. An empty
# value keeps the adapter's default. With a prefix (xa.), a key <prefix>Name replaces Name: the XA pool's own values.
adapter_properties() { # initial-list [prefix]
  local list=$1 prefix=${2:-} name value
  for name in $( { sed -n 's/^\([A-Z][A-Za-z]*\)=.*/\1/p' "$props"
                   [ -n "$prefix" ] && sed -n "s/^${prefix//./\\.}\([A-Z][A-Za-z]*\)=.*/\1/p" "$props"; } | sort -u); do
    if [ -n "$prefix" ] && grep -q "^${prefix//./\\.}$name=" "$props"; then
      value=$(prop "$prefix$name")
    else
      value=$(prop "$name")
    fi
    [ -n "$value" ] && list="$list:$name=$(escape "$value")"
  done
  printf '%s' "$list"
}

# Whether asadmin's list command lists that name: removal also cleans up after a half-done configure.
listed() { # list-command name
  asadmin "$1" | awk '{ print $1 }' | grep -qxF "$2"
}
