#!/usr/bin/env bash
# THE test command: installs what the tests need, builds the solution in Release, runs every test
# project with dotnet test (one TRX file each) and ends with one line: "N passed, N failed"
# (", N skipped" when any). Exits non-zero if a test failed, a build failed, or no test ran.
#
#   scripts/test.sh [extra test arguments, e.g. --filter-class PyHdfs.IntegrationTests.CliTests]
#
# Environment: CONFIGURATION (Release), RESULTS_DIR (TestResults), TEST_PROJECT_TIMEOUT_SECONDS (2400:
# a hung test project is killed and counted as failed, so it cannot eat the CI budget).
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONFIGURATION=${CONFIGURATION:-Release}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/TestResults}
TIMEOUT=${TEST_PROJECT_TIMEOUT_SECONDS:-2400}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { echo "[test.sh] $*" >&2; }

install_prerequisites() {
    if ! command -v dotnet >/dev/null 2>&1; then
        log "the .NET SDK (dotnet) is required: see https://learn.microsoft.com/dotnet/core/install/linux-debian"
        exit 2
    fi
    if [ ! -x /usr/bin/redis-server ] && ! command -v redis-server >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            log "installing redis-server (Debian package): apt-get update && apt-get install -y redis-server"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q && apt-get install -y -q redis-server || { log "could not install redis-server"; exit 2; }
        else
            log "redis-server is missing: run 'sudo apt-get update && sudo apt-get install -y redis-server'"
            exit 2
        fi
    fi
    # The dashboard tests drive Debian's chromium through Playwright (no browser download).
    if [ ! -x /usr/bin/chromium ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            log "installing chromium (Debian package): apt-get update && apt-get install -y chromium"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q && apt-get install -y -q chromium || { log "could not install chromium"; exit 2; }
        else
            log "chromium is missing: run 'sudo apt-get update && sudo apt-get install -y chromium'"
            exit 2
        fi
    fi
    # The WebHDFS tests drive outside clients: Debian's python3-fsspec (with python3-requests) under /usr/bin/python3,
    # curl, and the npm webhdfs package pinned in tests/webhdfs-clients (package-lock.json; installed with npm ci).
    # Only what is missing is installed: a machine with another Node.js (e.g. NodeSource's, which bundles npm)
    # cannot take Debian's npm package, which conflicts with it.
    local missing=""
    /usr/bin/python3 -c 'import fsspec, requests' >/dev/null 2>&1 || missing="$missing python3-fsspec python3-requests"
    command -v curl >/dev/null 2>&1 || missing="$missing curl"
    command -v npm >/dev/null 2>&1 || missing="$missing npm"
    if [ -n "$missing" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            log "installing$missing (Debian packages) for the WebHDFS client tests"
            export DEBIAN_FRONTEND=noninteractive
            # shellcheck disable=SC2086 # the list is word-split on purpose
            apt-get update -q && apt-get install -y -q $missing || { log "could not install$missing"; exit 2; }
        else
            log "the WebHDFS client tests need: sudo apt-get install -y$missing"
            exit 2
        fi
    fi
    # The Hadoop RPC tests drive Debian's Go hdfs client (package hdfs-cli, /usr/bin/hdfs).
    if [ ! -x /usr/bin/hdfs ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            log "installing hdfs-cli (Debian package) for the Hadoop RPC client tests"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q && apt-get install -y -q hdfs-cli || { log "could not install hdfs-cli"; exit 2; }
        else
            log "the Hadoop RPC client tests need: sudo apt-get install -y hdfs-cli"
            exit 2
        fi
    fi
    if [ ! -f tests/webhdfs-clients/node_modules/webhdfs/package.json ]; then
        log "npm ci in tests/webhdfs-clients (the npm webhdfs client, pinned)"
        (cd tests/webhdfs-clients && npm ci --no-audit --no-fund) || { log "npm ci failed in tests/webhdfs-clients"; exit 2; }
    fi
}

test_projects() {
    find tests -mindepth 2 -maxdepth 2 -name '*Tests.csproj' | sort
}

build() {
    log "dotnet build PyHdfs.sln -c $CONFIGURATION"
    if dotnet build PyHdfs.sln -c "$CONFIGURATION" -nologo -v minimal; then
        return 0
    fi
    # One broken project must not hide every other project's results: build test projects one by one.
    log "the solution build failed; building each test project on its own"
    BUILD_FAILED=1
    local project
    for project in $(test_projects); do
        if ! dotnet build "$project" -c "$CONFIGURATION" -nologo -v quiet; then
            log "build failed: $project"
            FAILED_BUILDS+=("$project")
        fi
    done
}

sum_counter() { # $1 = attribute name; sums it over every TRX file in RESULTS_DIR
    local total=0 value
    for trx in "$RESULTS_DIR"/*.trx; do
        [ -f "$trx" ] || continue
        value=$(grep -o '<Counters [^>]*>' "$trx" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" | head -n1)
        total=$((total + ${value:-0}))
    done
    echo "$total"
}

run_tests() {
    local project name code
    for project in $(test_projects); do
        name=$(basename "$project" .csproj)
        if printf '%s\n' "${FAILED_BUILDS[@]}" | grep -qx "$project"; then
            continue
        fi
        log "dotnet test --project $project"
        # dotnet test runs on Microsoft.Testing.Platform (global.json); --timeout ends a hung test
        # project (counted as failed) and the outer timeout is a backstop should that not work.
        timeout --kill-after=30 $((TIMEOUT + 60)) dotnet test --project "$project" -c "$CONFIGURATION" --no-build \
            --results-directory "$RESULTS_DIR" --report-xunit-trx --report-xunit-trx-filename "$name.trx" \
            --timeout "${TIMEOUT}s" --no-progress "$@"
        code=$?
        # MTP exit codes: 0 passed, 2 some test failed (the TRX counts it), 8 no test in this project.
        case "$code" in
            0 | 2 | 8) ;;
            *)
                log "$name: exit code $code (crashed, hung or did not start)"
                CRASHED+=("$name")
                ;;
        esac
        if [ "$code" != 8 ] && [ ! -f "$RESULTS_DIR/$name.trx" ] && ! printf '%s\n' "${CRASHED[@]}" | grep -qx "$name"; then
            log "$name: no results were written"
            CRASHED+=("$name")
        fi
    done
}

BUILD_FAILED=0
FAILED_BUILDS=()
CRASHED=()
install_prerequisites
rm -rf "$RESULTS_DIR" && mkdir -p "$RESULTS_DIR"
build
run_tests "$@"

passed=$(sum_counter passed)
failed=$(( $(sum_counter failed) + $(sum_counter error) + $(sum_counter timeout) + ${#FAILED_BUILDS[@]} + ${#CRASHED[@]} ))
skipped=$(sum_counter notExecuted)
executed=$(sum_counter executed)

[ "$BUILD_FAILED" = 1 ] && log "the solution build failed (see above)"
[ "${#FAILED_BUILDS[@]}" -gt 0 ] && log "test projects that did not build: ${FAILED_BUILDS[*]}"
[ "${#CRASHED[@]}" -gt 0 ] && log "test projects that crashed or hung: ${CRASHED[*]}"
[ "$executed" = 0 ] && log "no test ran"
log "results: $RESULTS_DIR"

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"

if [ "$failed" -gt 0 ] || [ "$BUILD_FAILED" = 1 ] || [ "$executed" = 0 ]; then
    exit 1
fi
exit 0
