#!/usr/bin/env bash
# Starts a private regtest network on 127.0.0.1: btcd and two lnd nodes,
# "lnpayd" (the node lnpayd uses) and "outside" (a peer that pays and is paid).
# Funds both, opens a channel each way, waits until both are active, and
# writes an env file for lnpayd and the end-to-end tests.
#
#   scripts/regtest/start.sh <state dir>    → prints the env file's path
#   scripts/regtest/stop.sh <state dir>     (also called here on failure)
#
# Ports: LNPAYD_REGTEST_PORT_BASE (default 28400) + 0..7.
set -Eeuo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: start.sh <state dir>}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# On any failure or interruption: show the nodes' last words, then stop everything.
ready=0
trap 'if [[ $ready != 1 ]]; then tail -n 30 "$dir"/*.out >&2; "$here/stop.sh" "$dir"; fi' EXIT

bin=$("$here/build.sh")
base=${LNPAYD_REGTEST_PORT_BASE:-28400}
btcd_rpc=$((base)) btcd_p2p=$((base + 1))
declare -A rest=([lnpayd]=$((base + 2)) [outside]=$((base + 3)))
declare -A rpc=([lnpayd]=$((base + 4)) [outside]=$((base + 5)))
declare -A p2p=([lnpayd]=$((base + 6)) [outside]=$((base + 7)))
auth=(--rpcuser=lnpayd --rpcpass=lnpayd)

log() { echo "regtest: $*" >&2; }

# Polls a command until it succeeds (seconds, description, command…).
wait_for() {
  local seconds=$1 what=$2
  shift 2
  for ((i = 0; i < seconds * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "timed out after ${seconds}s waiting for $what"
  "$@" >&2 || true
  return 1
}

start_btcd() {
  mkdir -p "$dir/btcd" && touch "$dir/btcd/btcd.conf"
  "$bin/btcd" --regtest --configfile="$dir/btcd/btcd.conf" "${auth[@]}" --datadir="$dir/btcd/data" --logdir="$dir/btcd/logs" \
    --rpclisten="127.0.0.1:$btcd_rpc" --listen="127.0.0.1:$btcd_p2p" --nodnsseed --txindex \
    --rpccert="$dir/btcd/rpc.cert" --rpckey="$dir/btcd/rpc.key" "$@" >"$dir/btcd.out" 2>&1 &
  echo $! >"$dir/btcd.pid"
  wait_for 60 "btcd" btcctl getblockcount
}

btcctl() {
  "$bin/btcctl" --regtest --configfile="$dir/btcd/btcd.conf" "${auth[@]}" --rpcserver="127.0.0.1:$btcd_rpc" --rpccert="$dir/btcd/rpc.cert" "$@"
}

mine() {
  btcctl generate "$1" >/dev/null
}

start_lnd() {
  local name=$1
  "$bin/lnd" --lnddir="$dir/$name" --noseedbackup --alias="$name" \
    --bitcoin.regtest --bitcoin.node=btcd --btcd.rpchost="127.0.0.1:$btcd_rpc" \
    --btcd.rpcuser=lnpayd --btcd.rpcpass=lnpayd --btcd.rpccert="$dir/btcd/rpc.cert" \
    --rpclisten="127.0.0.1:${rpc[$name]}" --restlisten="127.0.0.1:${rest[$name]}" --listen="127.0.0.1:${p2p[$name]}" \
    --accept-keysend --maxpendingchannels=10 --trickledelay=50 --debuglevel=info >"$dir/$name.out" 2>&1 &
  echo $! >"$dir/$name.pid"
}

lncli() {
  local name=$1
  shift
  "$bin/lncli" --network=regtest --lnddir="$dir/$name" --rpcserver="127.0.0.1:${rpc[$name]}" "$@"
}

synced() {
  lncli "$1" getinfo | grep -Eq '"synced_to_chain": +true'
}

two_active_channels() {
  [ "$(lncli "$1" listchannels --active_only | grep -Ec '"active": +true')" -ge 2 ]
}

outside_funded() {
  lncli outside walletbalance | grep -Eq '"confirmed_balance": +"20000000"'
}

stop_pid() {
  kill "$(cat "$dir/$1.pid")"
  wait "$(cat "$dir/$1.pid")" 2>/dev/null || true
}

new_address() {
  lncli "$1" newaddress p2wkh | sed -n 's/.*"address": *"\(.*\)".*/\1/p' | grep .
}

# btcd mines to a fixed address, and lnd hands out addresses only once its
# chain has a recent block. So: btcd mines one block to a throwaway address
# (witness program 0x0101…01), lnpayd's node gives an address and stops,
# btcd restarts mining to it (a regtest btcd restarts from genesis; lnd
# rolls its wallet back to it when it starts again).
log "btcd"
start_btcd --miningaddr=bcrt1qqyqszqgpqyqszqgpqyqszqgpqyqszqgpvxat9t
mine 1
start_lnd lnpayd
wait_for 120 "lnpayd's wallet" new_address lnpayd
address=$(new_address lnpayd)
stop_pid lnpayd
stop_pid btcd

# Segwit activates on regtest after three 144-block windows (432 blocks);
# coinbases mature after 100.
log "mining 500 blocks to $address"
start_btcd --miningaddr="$address"
mine 500
log "lnd nodes"
start_lnd lnpayd
start_lnd outside
wait_for 120 "lnpayd's node to sync" synced lnpayd
wait_for 120 "the outside node to sync" synced outside

wait_for 60 "the outside wallet" new_address outside
outside_address=$(new_address outside)
# The wallet spends its coinbases only once it has scanned their maturity: retried until then.
wait_for 60 "lnpayd's node to fund the outside node" lncli lnpayd sendcoins --addr="$outside_address" --amt=20000000
mine 6
pubkey() { lncli "$1" getinfo | sed -n 's/.*"identity_pubkey": *"\(.*\)".*/\1/p'; }
lnpayd_pubkey=$(pubkey lnpayd)
outside_pubkey=$(pubkey outside)
wait_for 60 "the outside node's funds" outside_funded

log "channels both ways"
lncli lnpayd connect "$outside_pubkey@127.0.0.1:${p2p[outside]}" >/dev/null
lncli lnpayd openchannel --node_key="$outside_pubkey" --local_amt=5000000 >/dev/null
lncli outside openchannel --node_key="$lnpayd_pubkey" --local_amt=5000000 >/dev/null
mine 6
wait_for 120 "two active channels at lnpayd's node" two_active_channels lnpayd
wait_for 120 "two active channels at the outside node" two_active_channels outside

macaroon() { echo "$dir/$1/data/chain/bitcoin/regtest/admin.macaroon"; }
cat >"$dir/regtest.env" <<ENV
LIGHTNING_BACKEND=lnd
LND_NETWORK=regtest
LND_REST_URL=https://127.0.0.1:${rest[lnpayd]}
LND_MACAROON=$(macaroon lnpayd)
LND_TLS_CERT=$dir/lnpayd/tls.cert
OUTSIDE_LND_REST_URL=https://127.0.0.1:${rest[outside]}
OUTSIDE_LND_MACAROON=$(macaroon outside)
OUTSIDE_LND_TLS_CERT=$dir/outside/tls.cert
OUTSIDE_PUBKEY=$outside_pubkey
LNPAYD_PUBKEY=$lnpayd_pubkey
ENV
ready=1
log "ready"
echo "$dir/regtest.env"
