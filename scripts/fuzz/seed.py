"""Creates real wallets, an invoice, an LNURL-pay address and a webhook on a running
lnpayd, and writes the schemathesis config that points the fuzzer's path parameters at
them, so generated requests reach the handlers instead of stopping at 404.

usage: seed.py <base url> <secret key> <config path>
"""

import json
import sys
import urllib.request
from urllib.parse import urlparse


def call(base: str, key: str, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"X-Api-Key": key, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def main() -> None:
    base, sak, config_path = sys.argv[1:4]
    # Nothing listens on port 9: deliveries stay pending with an error, which is what the log shows.
    hook = call(base, sak, "POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/hook"})
    keys = {}
    for label in ("fuzz payer", "fuzz payee"):
        wallet = call(base, sak, "POST", "/v1/wallet", {"user_label": label})
        keys[label] = {role: values[0] for role, values in wallet["access_keys"].items()} | {"id": wallet["id"]}
    payer = keys["fuzz payer"]
    invoice = call(base, sak, "POST", f"/v1/wallet/{payer['Wallet Invoice']}/invoice", {"num_satoshis": 1_000_000, "memo": "fuzz funds"})
    call(base, sak, "POST", "/v1/sandbox/pay", {"payment_request": invoice["payment_request"]})
    link = call(base, sak, "POST", f"/v1/wallet/{payer['Wallet Admin']}/lnurlp", {"lnurlp_identifier": "fuzz"})
    delivery = call(base, sak, "GET", f"/v1/webhooks/{hook['id']}/deliveries")[0]
    address = f"fuzz@{urlparse(base).netloc}"

    def toml(value: str) -> str:
        return json.dumps(value)

    with open(config_path, "w", encoding="utf-8") as out:
        out.write(f"""[parameters]
"path.wallet_key" = {toml(payer['Wallet Admin'])}
"path.lntx_id" = {toml(invoice['id'])}
"path.lnurlp_id" = {toml(link['id'])}
"path.lnurl_or_address" = {toml(address)}
"path.username" = "fuzz"
"path.node_id" = "default"
"path.id" = {toml(hook['id'])}
"path.delivery_id" = {toml(delivery['id'])}

[[operations]]
include-path = "/v1/wallet/{{wallet_key}}/lnurl-process"
parameters = {{ "path.wallet_key" = {toml(payer['Wallet LNURL Withdraw'])} }}

[[operations]]
include-path = "/v1/wallet/{{wallet_key}}/lnurlp/{{lnurlp_id}}"
parameters = {{ "path.wallet_key" = {toml(payer['Wallet LNURL Pay'])} }}

# LNPay answers these form errors with 500 and the message (README, "LNURL-pay"): documented,
# so a 500 is expected here; the hooks' no_unhandled_error still fails a real crash.
[[operations]]
include-path-regex = "^/v1/lnurlp/(probe/)?\\\\{{|^/v1/wallet/\\\\{{wallet_key\\\\}}/lnurlp/pay$"
checks.not_a_server_error.expected-statuses = ["1XX", "2XX", "3XX", "4XX", "500"]
""")


if __name__ == "__main__":
    main()
