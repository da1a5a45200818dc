# Shared by the deploy/ test scripts. Exit code 77 is registered with ctest
# as SKIP_RETURN_CODE.
deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

skip() {
  echo "SKIP: $*"
  exit 77
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

require_tool() {
  command -v "$1" >/dev/null || skip "$1 not found ($2; scripts/setup.sh installs it)"
}

# Points NODE_PATH at the npm packages scripts/fetch-deploy-tools.sh installs.
use_deploy_node_modules() {
  require_tool node "Debian package nodejs"
  local cache="${VLMC_DEPLOY_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/vlmc/deploy-tools}"
  [ -d "$cache/node_modules/kubernetes-models" ] ||
    skip "validator packages missing in $cache (run scripts/fetch-deploy-tools.sh)"
  export NODE_PATH="$cache/node_modules"
}
