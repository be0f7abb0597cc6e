#!/usr/bin/env bash
# Builds the pinned btcd, btcctl, lnd and lncli (tools/regtest/go.mod) into a
# cache outside the repository; a later run with the same pins skips the build.
# Prints the bin directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mod="$root/tools/regtest"
cache="${LNPAYD_REGTEST_CACHE:-$HOME/.cache/lnpayd-regtest}"
# The stamp ties the cached binaries to the exact pins and Go version.
stamp=$( (cat "$mod/go.mod" "$mod/go.sum"; go version) | sha256sum | cut -c1-16)
bin="$cache/bin-$stamp"
if [[ ! -x "$bin/lnd" || ! -x "$bin/lncli" || ! -x "$bin/btcd" || ! -x "$bin/btcctl" ]]; then
  mkdir -p "$bin.tmp"
  (
    cd "$mod"
    # routerrpc is always compiled in; these add the REST paths lnpayd uses
    # (/v2/invoices, /v2/router) and what lncli needs to fund and open channels.
    go build -trimpath -tags "signrpc walletrpc chainrpc invoicesrpc peersrpc" -o "$bin.tmp/" \
      github.com/lightningnetwork/lnd/cmd/lnd github.com/lightningnetwork/lnd/cmd/lncli \
      github.com/btcsuite/btcd github.com/btcsuite/btcd/cmd/btcctl
  ) >&2
  rm -rf "$bin" && mv "$bin.tmp" "$bin"
fi
echo "$bin"
