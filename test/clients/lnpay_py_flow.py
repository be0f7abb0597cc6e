"""Drives lnpayd through the real lnpay-py client (PyPI lnpay-py 0.1.0), as its users do.

Usage: python lnpay_py_flow.py <base url ending in /v1/> <secret key>
Prints one JSON line with what it saw; exits non-zero on the first surprise.
"""
import json
import sys

import lnpay_py
from lnpay_py.lntx import LNPayLnTx
from lnpay_py.utility_helpers import post_request
from lnpay_py.wallet import LNPayWallet

base, secret = sys.argv[1], sys.argv[2]
lnpay_py.initialize(secret, params={'endpoint_url': base})

alice = lnpay_py.create_wallet({'user_label': 'alice (py)'})
bob = lnpay_py.create_wallet({'user_label': 'bob (py)'})
alice_admin = LNPayWallet(alice['access_keys']['Wallet Admin'][0])
bob_invoice = LNPayWallet(bob['access_keys']['Wallet Invoice'][0])
bob_read = LNPayWallet(bob['access_keys']['Wallet Read'][0])

funding = LNPayWallet(alice['access_keys']['Wallet Invoice'][0]).create_invoice({'num_satoshis': 100, 'memo': 'fund'})
paid = post_request('sandbox/pay', {'payment_request': funding['payment_request']})
assert paid['settled'] == 1, paid

invoice = bob_invoice.create_invoice({'num_satoshis': 30, 'memo': 'from python', 'passThru': {'order': 'py-1'}})
assert invoice['passThru'] == {'order': 'py-1', 'wallet_id': bob['id']}, invoice
sent = alice_admin.pay_invoice({'payment_request': invoice['payment_request']})
assert sent['num_satoshis'] == -30, sent
assert LNPayLnTx(invoice['id']).get_info()['settled'] == 1

moved = alice_admin.internal_transfer({'dest_wallet_id': bob['id'], 'num_satoshis': 20, 'memo': 'split'})
assert moved['wtx_transfer_out']['num_satoshis'] == -20, moved

refused = alice_admin.internal_transfer({'dest_wallet_id': bob['id'], 'num_satoshis': 1000})
assert refused == {'name': 'Bad Request', 'message': 'Insufficient balance in source wallet', 'code': 0, 'status': 400}, refused

txs = bob_read.get_transactions()
print(json.dumps({
    'alice': alice_admin.get_info()['balance'],
    'bob': bob_read.get_info()['balance'],
    'bob_transactions': len(txs),
}))
