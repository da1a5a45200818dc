#!/usr/bin/env bash
# Proves that the Dockerfile builds a working image on a machine without a
# container engine: replays its instructions stage by stage in Debian 12 roots
# made with debootstrap, then starts the final stage's ENTRYPOINT inside it
# (as its USER, read-only root with a tmpfs /tmp, in a private network
# namespace) and passes when the image's own HEALTHCHECK command reports
# SERVING and an encode/decode round trip through the server works.
#
# Usage: deploy/check-image.sh [options]
#   --dockerfile FILE      Dockerfile to replay (default: <repo>/Dockerfile)
#   --context DIR          build context (default: the Dockerfile's folder)
#   --build-arg NAME=VAL   override an ARG (repeatable)
#   --work DIR             base root tarball, apt download cache and stage
#                          roots (default: ${XDG_CACHE_HOME:-~/.cache}/vlmc/check-image)
#   --mirror URL           Debian mirror for debootstrap (default: the
#                          host's first deb.debian.org-style URI, else
#                          http://deb.debian.org/debian)
#   --health-timeout SEC   how long the server may take to report SERVING
#                          (default: the HEALTHCHECK's --start-period, else 120)
#   --keep                 keep the stage roots afterwards (for inspection)
#   --dry-run              only parse and check the Dockerfile (no root needed)
#   -h, --help             this help
#
# Exit codes: 0 passed; 1 a step failed (the step is named); 2 bad usage or a
# Dockerfile this replay does not understand; 3 cannot run here (not root,
# no debootstrap/chroot/unshare; the message says which).
#
# What differs from a real `docker build`: FROM debian:12 and debian:12-slim
# both become a debootstrap --variant=minbase root of bookworm (the official
# images are made the same way, slim also drops documentation); a
# policy-rc.d keeps packages from starting services, as in those images;
# downloaded .deb files are cached between runs in --work. The build host's
# network settings reach RUN steps as Docker's predefined proxy build args
# would: HTTP(S)_PROXY/NO_PROXY when set, and NODE_EXTRA_CA_CERTS (copied in)
# where a TLS-inspecting proxy's CA must be trusted for npm; they are not part
# of the replayed image's environment.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dockerfile="$repo_root/Dockerfile"
context=""
work="${XDG_CACHE_HOME:-$HOME/.cache}/vlmc/check-image"
mirror=""
health_timeout=""
keep=0
dry_run=0
declare -A build_args=()

log() { echo "check-image: $*"; }
die() {
  local code=$1
  shift
  echo "check-image: error: $*" >&2
  exit "$code"
}

while (($#)); do
  case "$1" in
    --dockerfile) dockerfile=${2:?--dockerfile needs a value}; shift 2 ;;
    --context) context=${2:?--context needs a value}; shift 2 ;;
    --build-arg)
      [[ "${2:-}" == *=* ]] || die 2 "--build-arg needs NAME=VALUE"
      build_args[${2%%=*}]=${2#*=}
      shift 2
      ;;
    --work) work=${2:?--work needs a value}; shift 2 ;;
    --mirror) mirror=${2:?--mirror needs a value}; shift 2 ;;
    --health-timeout) health_timeout=${2:?--health-timeout needs a value}; shift 2 ;;
    --keep) keep=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) die 2 "unknown argument $1 (see --help)" ;;
  esac
done
[ -r "$dockerfile" ] || die 2 "cannot read $dockerfile"
dockerfile=$(cd "$(dirname "$dockerfile")" && pwd)/$(basename "$dockerfile")
context=${context:-$(dirname "$dockerfile")}
[ -d "$context" ] || die 2 "context $context is not a directory"
context=$(cd "$context" && pwd)
if [ -n "$health_timeout" ] && ! [[ "$health_timeout" =~ ^[1-9][0-9]*$ ]]; then
  die 2 "--health-timeout must be a whole number of seconds"
fi

# ---------------------------------------------------------------------------
# Parsing: logical lines (continuations joined, comment lines dropped) into
# instructions[i] = "KEYWORD arguments".
instructions=()
instruction_lines=()
current=""
current_line=0
line_number=0
while IFS= read -r line || [ -n "$line" ]; do
  line_number=$((line_number + 1))
  [[ "$line" =~ ^[[:space:]]*# ]] && continue
  if [ -z "$current" ]; then
    [[ "$line" =~ ^[[:space:]]*$ ]] && continue
    current_line=$line_number
  fi
  if [[ "$line" =~ \\[[:space:]]*$ ]]; then
    current+="${line%\\*} "
    continue
  fi
  current+="$line"
  instructions+=("$(sed -e 's/^[[:space:]]*//' <<<"$current")")
  instruction_lines+=("$current_line")
  current=""
done <"$dockerfile"
[ -z "$current" ] || die 2 "$dockerfile ends inside a continued line"
((${#instructions[@]})) || die 2 "$dockerfile has no instructions"

keyword_of() { local k=${1%%[[:space:]]*}; echo "${k^^}"; }
arguments_of() {
  local rest=${1#*[[:space:]]}
  [ "$rest" = "$1" ] && rest=""
  sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$rest"
}
where() { echo "$(basename "$dockerfile"):${instruction_lines[$1]}"; }

# Values of ARG and ENV in scope, for ${NAME} / $NAME substitution in
# FROM/ENV/WORKDIR/COPY/USER arguments (RUN leaves it to its shell).
declare -A scope=()
declare -A global_args=()
expand() {
  local text=$1 out="" name
  while [[ "$text" =~ ^([^\$]*)\$(\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))(.*)$ ]]; do
    name=${BASH_REMATCH[3]:-${BASH_REMATCH[4]}}
    out+="${BASH_REMATCH[1]}${scope[$name]:-}"
    text=${BASH_REMATCH[5]}
  done
  echo "$out$text"
}

# Splits a JSON string array (exec form: ["a", "b"]) into lines; fails on
# anything else.
json_array_lines() {
  python3 -c '
import json, sys
value = json.loads(sys.argv[1])
if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
    sys.exit(1)
for v in value:
    if "\n" in v:
        sys.exit(1)
    print(v)' "$1"
}

# KEY=VALUE pairs of ENV/ARG/LABEL arguments (values may be "quoted"), one
# per line as KEY<TAB>VALUE; legacy "ENV KEY VALUE" too.
pairs_of() {
  python3 -c '
import shlex, sys
words = shlex.split(sys.argv[1])
if words and "=" not in words[0]:
    print(words[0] + "\t" + " ".join(words[1:]))
    sys.exit(0)
for word in words:
    key, sep, value = word.partition("=")
    print(key + "\t" + value)' "$1"
}

# Files of context path $1 (relative), minus what .dockerignore excludes, as
# NUL-separated paths relative to $1. Patterns: Docker's (`*` and `?` within
# one path element, `**` across elements, a match excludes a folder's
# contents); `!` exceptions and [classes] are refused rather than
# approximated.
context_files() {
  python3 - "$context" "$1" <<'PY'
import os, re, sys
context, source = sys.argv[1], sys.argv[2]
patterns = []
ignore = os.path.join(context, ".dockerignore")
if os.path.exists(ignore):
    for raw in open(ignore):
        p = raw.strip()
        if not p or p.startswith("#"):
            continue
        if p.startswith("!") or "[" in p:
            sys.exit(".dockerignore pattern %r: exceptions and [classes] are not supported" % p)
        p = p.strip("/")
        rx = ""
        i = 0
        while i < len(p):
            if p.startswith("**", i):
                rx += ".*"; i += 2
            elif p[i] == "*":
                rx += "[^/]*"; i += 1
            elif p[i] == "?":
                rx += "[^/]"; i += 1
            else:
                rx += re.escape(p[i]); i += 1
        patterns.append(re.compile(rx + r"\Z"))

def excluded(rel):
    parts = rel.split("/")
    return any(r.match("/".join(parts[:n])) for n in range(1, len(parts) + 1) for r in patterns)

root = os.path.normpath(os.path.join(context, source))
if not (root == context or root.startswith(context + os.sep)):
    sys.exit("COPY source %r is outside the context" % source)
if not os.path.lexists(root):
    sys.exit("COPY source %r does not exist in the context" % source)
rel_root = os.path.relpath(root, context)
if rel_root != "." and excluded(rel_root):
    sys.exit("COPY source %r is excluded by .dockerignore" % source)
out = sys.stdout.buffer
if not os.path.isdir(root) or os.path.islink(root):
    out.write(os.path.basename(root).encode() + b"\0")
    sys.exit(0)
for dirpath, dirnames, filenames in os.walk(root):
    rel_dir = os.path.relpath(dirpath, root)
    def rel_to_context(name):
        r = os.path.normpath(os.path.join(rel_root, rel_dir, name))
        return r
    dirnames[:] = [d for d in dirnames if not excluded(rel_to_context(d))]
    for name in dirnames + filenames:
        if name in filenames and excluded(rel_to_context(name)):
            continue
        path = os.path.normpath(os.path.join(rel_dir, name))
        if name in dirnames and not os.path.islink(os.path.join(dirpath, name)):
            continue  # folders come with their files; empty ones are dropped
        out.write(path.encode() + b"\0")
PY
}

# ---------------------------------------------------------------------------
# Checks every instruction without running anything; fills stage_names.
stage_names=()
final_user=""
final_healthcheck=""
final_entrypoint=""
final_cmd=""
declare -A exposed=()
check_dockerfile() {
  local i keyword args stage="" user="" in_stage=0 src
  for i in "${!instructions[@]}"; do
    keyword=$(keyword_of "${instructions[$i]}")
    args=$(arguments_of "${instructions[$i]}")
    case "$keyword" in
      ARG | ENV | LABEL)
        [ -n "$args" ] || die 2 "$(where "$i"): $keyword without arguments"
        pairs_of "$args" >/dev/null || die 2 "$(where "$i"): cannot parse $keyword $args"
        ;;
      FROM)
        [[ "$args" =~ ^([^[:space:]]+)([[:space:]]+[Aa][Ss][[:space:]]+([A-Za-z0-9_.-]+))?$ ]] ||
          die 2 "$(where "$i"): FROM IMAGE [AS NAME] expected, got: $args"
        stage=${BASH_REMATCH[3]:-stage${#stage_names[@]}}
        stage_names+=("$stage")
        in_stage=1
        user=""
        final_healthcheck=""
        final_entrypoint=""
        final_cmd=""
        exposed=()
        ;;
      WORKDIR | USER)
        ((in_stage)) || die 2 "$(where "$i"): $keyword before FROM"
        [ -n "$args" ] || die 2 "$(where "$i"): $keyword without an argument"
        [ "$keyword" = USER ] && user=$args
        ;;
      RUN)
        ((in_stage)) || die 2 "$(where "$i"): RUN before FROM"
        [[ "$args" == \[* ]] && die 2 "$(where "$i"): exec-form RUN is not supported; use the shell form"
        [[ "$args" == --* ]] && die 2 "$(where "$i"): RUN flags are not supported: $args"
        [ -n "$args" ] || die 2 "$(where "$i"): RUN without a command"
        ;;
      COPY)
        ((in_stage)) || die 2 "$(where "$i"): COPY before FROM"
        local words from="" n
        read -r -a words <<<"$args"
        if [[ "${words[0]}" == --from=* ]]; then
          from=${words[0]#--from=}
          words=("${words[@]:1}")
          local known=0 s
          for s in "${stage_names[@]:0:${#stage_names[@]}-1}"; do [ "$s" = "$from" ] && known=1; done
          ((known)) || die 2 "$(where "$i"): COPY --from=$from names no earlier stage"
        fi
        [[ "${words[0]}" == --* ]] && die 2 "$(where "$i"): COPY flag ${words[0]} is not supported"
        ((${#words[@]} >= 2)) || die 2 "$(where "$i"): COPY needs a source and a destination"
        if [ -z "$from" ]; then
          for ((n = 0; n < ${#words[@]} - 1; n++)); do
            src=$(expand "${words[$n]}")
            [[ "$src" == *[*?[]* ]] && die 2 "$(where "$i"): COPY wildcards are not supported: $src"
            context_files "$src" >/dev/null || die 2 "$(where "$i"): COPY $src"
          done
        fi
        ;;
      EXPOSE)
        local port
        for port in $args; do
          [[ "$port" =~ ^[0-9]+(/tcp)?$ ]] || die 2 "$(where "$i"): EXPOSE $port: only TCP ports"
          exposed[${port%/tcp}]=1
        done
        ;;
      HEALTHCHECK)
        [[ "$args" =~ CMD[[:space:]]+(\[.*\])$ ]] ||
          die 2 "$(where "$i"): HEALTHCHECK [OPTIONS] CMD [\"exec\", \"form\"] expected"
        json_array_lines "${BASH_REMATCH[1]}" >/dev/null ||
          die 2 "$(where "$i"): HEALTHCHECK CMD is not a JSON string array"
        final_healthcheck=$args
        ;;
      ENTRYPOINT | CMD)
        json_array_lines "$args" >/dev/null ||
          die 2 "$(where "$i"): $keyword must use the exec form [\"program\", \"arg\"]"
        [ "$keyword" = ENTRYPOINT ] && final_entrypoint=$args || final_cmd=$args
        ;;
      *) die 2 "$(where "$i"): instruction $keyword is not supported by this replay" ;;
    esac
  done
  ((${#stage_names[@]})) || die 2 "no FROM in $dockerfile"
  final_user=$user
  [ -n "$final_user" ] || die 2 "the final stage sets no USER: the image would run as root"
  [[ "$final_user" =~ ^(root|0)(:|$) ]] && die 2 "the final stage's USER is root"
  [ -n "$final_healthcheck" ] || die 2 "the final stage has no HEALTHCHECK"
  [ -n "$final_entrypoint$final_cmd" ] || die 2 "the final stage has no ENTRYPOINT or CMD"
  return 0
}

command -v python3 >/dev/null || die 3 "python3 not found (it parses JSON and .dockerignore)"
check_dockerfile
log "$(basename "$dockerfile"): ${#instructions[@]} instructions, stages: ${stage_names[*]};" \
  "final stage runs as $final_user, exposes ${!exposed[*]}"
if ((dry_run)); then
  log "dry run: every instruction is understood and every COPY source exists"
  exit 0
fi

# ---------------------------------------------------------------------------
# Running: needs root, debootstrap, chroot, unshare, ip.
[ "$(id -u)" = 0 ] || die 3 "must run as root (debootstrap, chroot and mounts need it)"
for tool in chroot unshare ip mount tar; do
  command -v "$tool" >/dev/null || die 3 "$tool not found"
done
if ! command -v debootstrap >/dev/null; then
  log "installing Debian package debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null ||
    die 3 "debootstrap is missing and apt-get install debootstrap failed"
fi
if [ -z "$mirror" ]; then
  mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)$/\1/p' \
    /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
  mirror=${mirror:-http://deb.debian.org/debian}
fi

mkdir -p "$work/apt-archives/partial" "$work/stages"
base_tar="$work/bookworm-minbase.tar"
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  mounted=()
  ((keep)) || safe_remove "$work/stages"
}

# rm -rf that never deletes through a mount still in place (a bound /dev!):
# it refuses while anything is mounted below $1 and stays on one file system.
safe_remove() {
  if grep -qF " $1/" /proc/self/mounts; then
    echo "check-image: warning: mounts remain under $1; not removing it (umount them first)" >&2
    return 1
  fi
  rm -rf --one-file-system "$1"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mount_into() {  # mount_into TARGET mount-arguments...
  local target=$1
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}

if [ ! -s "$base_tar" ]; then
  log "debootstrap --variant=minbase bookworm from $mirror (once; cached in $base_tar)"
  safe_remove "$work/base" || die 1 "cannot reuse $work/base while something is mounted in it"
  debootstrap --variant=minbase bookworm "$work/base" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    die 1 "debootstrap failed; see $work/debootstrap.log"
  tar -C "$work/base" -cf "$base_tar.tmp" . && mv "$base_tar.tmp" "$base_tar"
  safe_remove "$work/base"
fi

# A fresh stage root: the base, DNS, no service starts, apt's cache shared.
new_root() {
  local root=$1
  safe_remove "$root" || die 1 "cannot reuse $root while something is mounted in it"
  mkdir -p "$root"
  tar -C "$root" -xf "$base_tar"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  if [ -n "$host_ca_file" ]; then
    mkdir -p "$root$(dirname "$host_ca_file")"
    cp "$NODE_EXTRA_CA_CERTS" "$root$host_ca_file"
  fi
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  mount_into "$root/proc" -t proc proc
  mount_into "$root/sys" -t sysfs -o ro sysfs
  mount_into "$root/dev" --bind /dev
  mount_into "$root/dev/pts" --bind /dev/pts
  mount_into "$root/var/cache/apt/archives" --bind "$work/apt-archives"
}

# The build host's network settings for RUN steps (see the header); the CA
# file is copied into each stage root.
host_network_environment=()
for name in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
  [ -n "${!name:-}" ] && host_network_environment+=("$name=${!name}")
done
host_ca_file=""
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
  host_ca_file=/etc/vlmc-check-image/host-extra-ca.crt
  host_network_environment+=("NODE_EXTRA_CA_CERTS=$host_ca_file")
fi

# Environment of RUN and of the started server: ARG and ENV values in scope.
run_environment() {
  local name
  echo "HOME=/root"
  [ -n "${scope[PATH]:-}" ] || echo "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  for name in "${!scope[@]}"; do echo "$name=${scope[$name]}"; done
}

copy_into_stage() {  # copy_into_stage ROOT WORKDIR INSTRUCTION-ARGS
  local root=$1 workdir=$2 args=$3 words from="" dest n src target
  read -r -a words <<<"$args"
  if [[ "${words[0]}" == --from=* ]]; then
    from=${words[0]#--from=}
    words=("${words[@]:1}")
  fi
  dest=$(expand "${words[-1]}")
  [[ "$dest" == /* ]] || dest="$workdir/$dest"
  for ((n = 0; n < ${#words[@]} - 1; n++)); do
    src=$(expand "${words[$n]}")
    if [ -n "$from" ]; then
      local from_path="$work/stages/$from/${src#/}"
      [ -e "$from_path" ] || die 1 "COPY --from=$from $src: not found in stage $from"
      if [ -d "$from_path" ]; then
        mkdir -p "$root$dest"
        cp -a "$from_path/." "$root$dest/"
      else
        [[ "$dest" == */ ]] && mkdir -p "$root$dest"
        mkdir -p "$(dirname "$root$dest")"
        cp -a "$from_path" "$root$dest"
      fi
    elif [ -d "$context/$src" ]; then
      mkdir -p "$root$dest"
      context_files "$src" |
        tar -C "$context/$src" --null --no-recursion --owner=0 --group=0 -cf - -T - |
        tar -C "$root$dest" -xf - || die 1 "COPY $src: copying from the context failed"
    else
      target=$root$dest
      if [[ "$dest" == */ ]] || [ -d "$target" ]; then
        mkdir -p "$target"
        target="$target/$(basename "$src")"
      fi
      mkdir -p "$(dirname "$target")"
      cp "$context/$src" "$target"
      chown 0:0 "$target"
    fi
  done
}

# ---------------------------------------------------------------------------
started=$(date +%s)
stage_index=-1
root=""
workdir="/"
user=""
for i in "${!instructions[@]}"; do
  keyword=$(keyword_of "${instructions[$i]}")
  args=$(arguments_of "${instructions[$i]}")
  case "$keyword" in
    ARG)
      while IFS=$'\t' read -r name value; do
        if ((stage_index < 0)); then
          global_args[$name]=${build_args[$name]-$value}
          scope[$name]=${global_args[$name]}
        else
          scope[$name]=${build_args[$name]-${global_args[$name]-$value}}
        fi
      done < <(pairs_of "$args")
      ;;
    FROM)
      stage_index=$((stage_index + 1))
      # FROM sees the ARGs declared before the first FROM, and nothing else.
      scope=()
      for name in "${!global_args[@]}"; do scope[$name]=${global_args[$name]}; done
      image=$(expand "${args%%[[:space:]]*}")
      case "$image" in
        debian:12 | debian:12-slim | debian:bookworm | debian:bookworm-slim) ;;
        *) die 2 "$(where "$i"): FROM $image: only Debian 12 bases can be replayed" ;;
      esac
      scope=()
      workdir="/"
      user=""
      root="$work/stages/${stage_names[$stage_index]}"
      log "[$(($(date +%s) - started)) s] stage ${stage_names[$stage_index]}: FROM $image (debootstrap root)"
      new_root "$root"
      ;;
    ENV | LABEL)
      while IFS=$'\t' read -r name value; do
        [ "$keyword" = ENV ] && scope[$name]=$(expand "$value")
      done < <(pairs_of "$args")
      ;;
    WORKDIR)
      dir=$(expand "$args")
      [[ "$dir" == /* ]] || dir="$workdir/$dir"
      workdir=$dir
      mkdir -p "$root$workdir"
      ;;
    COPY)
      log "[$(($(date +%s) - started)) s] COPY $args"
      copy_into_stage "$root" "$workdir" "$args"
      ;;
    RUN)
      log "[$(($(date +%s) - started)) s] RUN ${args:0:100}$( ((${#args} > 100)) && echo ...)"
      mapfile -t environment < <(run_environment)
      environment=("${host_network_environment[@]}" "${environment[@]}")
      if ! chroot "$root" /usr/bin/env -i "${environment[@]}" /bin/sh -c "cd '$workdir' && $args"; then
        die 1 "$(where "$i"): RUN failed"
      fi
      ;;
    USER) user=$(expand "$args") ;;
    EXPOSE | HEALTHCHECK | ENTRYPOINT | CMD) ;;
  esac
done
log "[$(($(date +%s) - started)) s] all stages replayed"

# ---------------------------------------------------------------------------
# The final stage as a container: its own network namespace, read-only root,
# tmpfs /tmp, the image's USER, ENV and ENTRYPOINT + CMD.
final_root=$root
for tool in usr/bin/cc usr/bin/c++ usr/bin/cmake usr/bin/ninja; do
  [ ! -e "$final_root/$tool" ] || die 1 "the final stage contains /$tool: build tools leaked into the runtime image"
done
missing_libraries=$(chroot "$final_root" sh -c 'for f in /opt/vlmc/bin/*; do ldd "$f"; done' 2>&1 | grep "not found" || true)
[ -z "$missing_libraries" ] || die 1 "libraries missing in the final stage: $missing_libraries"
log "final stage: $(du -sh --exclude=proc --exclude=sys --exclude=dev "$final_root" | cut -f1) on disk"

mapfile -t command < <(json_array_lines "${final_entrypoint:-[]}"; json_array_lines "${final_cmd:-[]}")
[[ "$final_healthcheck" =~ CMD[[:space:]]+(\[.*\])$ ]]
mapfile -t health_command < <(json_array_lines "${BASH_REMATCH[1]}")
if [ -z "$health_timeout" ]; then
  health_timeout=120
  if [[ "$final_healthcheck" =~ --start-period=([0-9]+)s ]]; then health_timeout=${BASH_REMATCH[1]}; fi
fi
mapfile -t environment < <(run_environment | grep -v '^HOME=')
environment+=("HOME=/")

readonly_root="$work/stages/.container"
mount_into "$readonly_root" --bind "$final_root"
mount -o remount,bind,ro "$readonly_root"
mount_into "$readonly_root/tmp" -t tmpfs -o size=256m,mode=1777 tmpfs
mount_into "$readonly_root/proc" -t proc proc
mount_into "$readonly_root/dev" --bind /dev
sample="$context/tests/data/kodim20.png"
[ -f "$sample" ] && cp "$sample" "$readonly_root/tmp/sample.png"

container_script="$work/container.sh"
{
  echo "set -u"
  echo "ip link set lo up"
  # in_container [--exec] COMMAND...: run in the container; --exec replaces
  # the calling (background) shell, so its PID is the server's own.
  printf 'in_container() {\n  local exec_word=""\n'
  printf '  if [ "$1" = --exec ]; then exec_word=exec; shift; fi\n'
  printf '  $exec_word chroot --userspec=%q %q /usr/bin/env -i' "$user" "$readonly_root"
  printf ' %q' "${environment[@]}"
  printf ' "$@"\n}\n'
  printf 'in_container --exec'
  printf ' %q' "${command[@]}"
  printf ' >%q 2>&1 &\n' "$work/server.log"
  echo 'server=$!'
  echo "deadline=\$((SECONDS + $health_timeout))"
  echo 'healthy=0'
  echo 'while ((SECONDS < deadline)); do'
  echo '  kill -0 $server 2>/dev/null || { echo "server exited before it was healthy"; break; }'
  printf '  if in_container'
  printf ' %q' "${health_command[@]}"
  echo ' 2>/dev/null; then healthy=1; break; fi'
  echo '  sleep 2'
  echo 'done'
  printf '((healthy)) || in_container'
  printf ' %q' "${health_command[@]}"
  echo
  echo 'roundtrip=skipped'
  echo 'if ((healthy)) && [ -f '"$(printf %q "$readonly_root/tmp/sample.png")"' ]; then'
  echo '  if in_container vlmc encode --server 127.0.0.1:50051 /tmp/sample.png -q 0.5 -o /tmp/sample.vlmc &&'
  echo '     in_container vlmc decode --server 127.0.0.1:50051 /tmp/sample.vlmc -o /tmp/decoded.png; then'
  echo '    roundtrip=ok; else roundtrip=failed; fi'
  echo 'fi'
  echo 'kill -TERM $server 2>/dev/null; wait $server; status=$?'
  echo 'echo "--- server log"; cat '"$(printf %q "$work/server.log")"
  echo 'echo "result: healthy=$healthy roundtrip=$roundtrip exit=$status"'
  echo '((healthy)) && [ "$roundtrip" != failed ] && [ $status = 0 ]'
} >"$container_script"

log "[$(($(date +%s) - started)) s] starting ${command[*]} as $user (read-only root, private network)"
if unshare --net --fork bash "$container_script"; then
  log "[$(($(date +%s) - started)) s] PASS: the replayed image serves health SERVING, round-trips an image and stops cleanly"
else
  die 1 "the replayed image did not pass its health check (output above)"
fi
