#!/usr/bin/env bash
# Starts a local PyHDFS cluster; the same as the README's start command. Extra arguments go to the
# AppHost (e.g. --datanodes 5, --replication 3, --block-size 64M). Ctrl+C stops every process.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project PyHdfs.AppHost -- --datanodes 3 --data-dir ./.pyhdfs-data "$@"
