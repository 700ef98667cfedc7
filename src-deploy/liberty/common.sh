# Sourced by the scripts beside it: the properties file, the server, and the wait for Liberty to apply a change.
# shellcheck shell=bash
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
props=${1:-$here/pool.properties}
script=$(basename "$0")
prop() { sed -n "s/^${1//./\\.}=//p" "$props" | tail -n 1; }
fail() { echo "$script: $*" >&2; exit 2; }
wlp=${WLP_HOME:?set WLP_HOME to the Liberty install (the wlp directory)}
name=${LIBERTY_SERVER:-defaultServer}
server=${WLP_USER_DIR:-$wlp/usr}/servers/$name
[ -f "$server/server.xml" ] || fail "no Liberty server $name at $server (set LIBERTY_SERVER, WLP_USER_DIR)"
dropin=$server/configDropins/overrides/$(prop ra.name).xml
xa_dropin=$server/configDropins/overrides/$(prop ra.name)-$(prop xa.pool.name).xml
log=$server/logs/messages.log

# The sizes a pool's connectionManager takes: whole numbers, max at least 1, min not above max.
require_sizes() { # min-key max-key
  local min=$(prop "$1") max=$(prop "$2")
  [[ "$min" =~ ^[0-9]+$ && "$max" =~ ^[0-9]+$ ]] || fail "$1 and $2 must be whole numbers but were '$min' and '$max'"
  [ "$max" -ge 1 ] || fail "$2 must be at least 1 but was $max"
  [ "$min" -le "$max" ] || fail "$1 ($min) must not be greater than $2 ($max)"
}

# Deletes a configuration file of these scripts and waits until Liberty has applied that (and said what else it must).
remove_file() { # file, what Liberty says once it is gone
  if [ -f "$1" ]; then
    local from
    from=$(log_size)
    rm -f "$1"
    await_update "$from" "$2"
  fi
}

# render TEMPLATE OUT: every ${key} of the template from the properties file, XML-escaped (${xa:Key}: xa.Key where the
# file has it, else Key); the driver library line once per JAR of driver.jar (comma-separated), or not at all. OUT
# is readable by its owner only: it holds the password unless that comes from a file or an encoded value.
render() {
  local template=$1 out=$2 rendered jars="" jar
  for jar in $(prop driver.jar | tr ',' ' '); do jars="$jars${jars:+,}$(realpath "$jar")"; done
  mkdir -p "$(dirname "$out")"
  rendered=$(mktemp "$(dirname "$out")/.render.XXXXXX")
  RAR_PATH=$(realpath "$(prop rar.path)") DRIVER_JARS=$jars SCRIPT=$script perl -e '
    my ($props) = @ARGV; my %v;
    open(my $p, "<", $props) or die "cannot read $props\n";
    while (<$p>) { chomp; next if /^\s*(#|$)/; my ($k, $x) = split(/=/, $_, 2); $v{$k} = $x; }
    $v{"rar.path"} = $ENV{RAR_PATH};
    my @jars = grep { $_ ne "" } split(/,/, $ENV{DRIVER_JARS});
    sub value { my ($k) = @_;
      die "$ENV{SCRIPT}: the template names $k, which $props lacks\n" unless exists $v{$k};
      my $x = $v{$k}; $x =~ s/&/&amp;/g; $x =~ s/</&lt;/g; $x =~ s/"/&quot;/g; return $x; }
    local $/; my $t = <STDIN>;
    $t =~ s/^\s*<library id="[^"]*-driver">.*?<\/library>\n//ms unless @jars;
    $t =~ s/^.*-driver.*\n//mg unless @jars;
    $t =~ s{^(.*)\$\{driver\.jar\}(.*\n)}{my ($l, $r) = ($1, $2); join("", map { (my $j = $_) =~ s/&/&amp;/g; "$l$j$r" } @jars)}me;
    $t =~ s/\$\{xa:([^}]+)\}/exists $v{"xa.$1"} ? value("xa.$1") : value($1)/ge;
    $t =~ s/\$\{([^}]+)\}/value($1)/ge;
    $t =~ s/<properties\.jdbc-pool-ra /<properties.$v{"ra.name"} /g;
    print $t;' "$props" < "$template" > "$rendered" || { rm -f "$rendered"; fail "cannot render $props"; }
  chmod 600 "$rendered"
  mv "$rendered" "$out"
}

# Liberty polls its configuration files; a change is applied when messages.log says CWWKG0017I (updated) or
# CWWKG0018I (nothing to change), and the adapter is (un)installed when it says so too. A stopped server applies
# the change when it starts.
log_size() { if [ -f "$log" ]; then wc -c < "$log"; else echo 0; fi; }
await_update() { # messages.log size before the change, what else Liberty must say after an update
  local from=$1 also=$2 deadline=$((SECONDS + ${LIBERTY_UPDATE_TIMEOUT:-120})) news
  if ! "$wlp/bin/server" status "$name" > /dev/null 2>&1; then
    echo "$script: $name is not running; Liberty applies the change when it starts"
    return 0
  fi
  while [ $SECONDS -lt $deadline ]; do
    news=$(tail -c +"$((from + 1))" "$log" 2>/dev/null || true)
    if grep -E ' E [A-Z0-9]+E: ' <<< "$news" | grep -E 'CWWKG|J2CA' >&2; then
      fail "Liberty refused the configuration (above; $log)"
    fi
    if grep -q 'CWWKG0018I' <<< "$news" || { grep -q 'CWWKG0017I' <<< "$news" && grep -q -E "$also" <<< "$news"; }
    then
      return 0
    fi
    sleep 0.5
  done
  fail "Liberty did not apply the configuration within ${LIBERTY_UPDATE_TIMEOUT:-120} s (see $log)"
}
