import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import lnpayPkg from 'lnpay';
import { Harness } from './helpers/harness.ts';

type Client = ReturnType<typeof lnpayPkg.default>;

describe('the real `lnpay` npm client, base URL pointed at lnpayd', () => {
  let h: Harness;
  let client: (walletKey?: string) => Client;
  before(async () => {
    h = await Harness.start();
    client = (walletKey) => {
      const c = lnpayPkg.default({ secretKey: h.sak, walletAccessKey: walletKey ?? '' });
      // The client hard-codes LNPay's host; its axios instance is public.
      (c as unknown as { api: { defaults: { baseURL: string } } }).api.defaults.baseURL = `${h.url}/v1`;
      return c;
    };
  });
  after(() => h.close());

  test('create a wallet, generate an invoice, read it back, see the balance after payment', async () => {
    const wallet = await client().createWallet({ user_label: 'npm client' });
    assert.match(wallet.id, /^wal_/);
    const invoiceKey = wallet.access_keys['Wallet Invoice'][0];
    const invoice = await client(invoiceKey).generateInvoice({ num_satoshis: 12, memo: 'from npm' });
    assert.equal(invoice.num_satoshis, 12);
    assert.match(invoice.payment_request, /^lnbcrt120n1/);
    const lntx = await client().getInvoice({ id: invoice.id });
    assert.equal(lntx.settled, 0);
    await h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: { payment_request: invoice.payment_request } });
    const readKey = wallet.access_keys['Wallet Read'][0];
    const balance = await client(readKey).getBalance();
    assert.equal(balance.balance, 12);
    const txs = await client(readKey).getTransactions({ page: 1 });
    assert.equal(JSON.stringify(txs).includes(invoice.id), true);
    await h.assertLedger();
  });

  test('pay an invoice, transfer and keysend through the client', async () => {
    const alice = await client().createWallet({ user_label: 'alice' });
    const bob = await client().createWallet({ user_label: 'bob' });
    const aliceAdmin = alice.access_keys['Wallet Admin'][0];
    const funding = await client(alice.access_keys['Wallet Invoice'][0]).generateInvoice({ num_satoshis: 100 });
    await h.request('POST', '/v1/sandbox/pay', { key: h.sak, body: { payment_request: funding.payment_request } });
    const bobInvoice = await client(bob.access_keys['Wallet Invoice'][0]).generateInvoice({ num_satoshis: 30 });
    const paid = await client(aliceAdmin).payInvoice({ payment_request: bobInvoice.payment_request, passThru: { n: 1 } });
    assert.equal(paid.num_satoshis, -30);
    const moved = await client(aliceAdmin).transfer({ dest_wallet_id: bob.id, num_satoshis: 20, memo: 'split' });
    assert.equal(moved.wtx_transfer_in.num_satoshis, 20);
    const outside = await h.request('POST', '/v1/sandbox/invoice', { key: h.sak, body: { num_satoshis: 1 } });
    const sent = await client(aliceAdmin).keysend({ dest_pubkey: outside.body.dest_pubkey, num_satoshis: 10 });
    assert.equal(sent.lnTx.is_keysend, 1);
    assert.equal((await client(bob.access_keys['Wallet Read'][0]).getBalance()).balance, 50);
    await h.assertLedger();
  });

  test("errors surface as the client's Error with LNPay's message", async () => {
    const wallet = await client().createWallet({ user_label: 'npm errors' });
    const invoiceKey = wallet.access_keys['Wallet Invoice'][0];
    await assert.rejects(client(invoiceKey).generateInvoice({ num_satoshis: -1 }), {
      message: 'Num Satoshis must be greater than or equal to "1".',
    });
    await assert.rejects(client('waki_unknown').getBalance(), { message: 'Wallet not found: waki_unknown' });
  });
});
