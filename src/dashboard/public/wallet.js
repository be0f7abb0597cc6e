import { api } from './api.js';
import { $, cell, el, guarded, onSubmit, renderPager, showError, when } from './dom.js';
import { invoiceQr } from './qr.js';

const PER_PAGE = 10;
const POLL_MS = 1000;
const sandbox = document.body.dataset.sandbox === 'true';

let wallet = null;
let txPage = 1;
let poll = null;
let onMoneyMoved = () => {};

export function setupWallet(onChange) {
  onMoneyMoved = onChange;
  onSubmit($('#invoice-form'), async ({ num_satoshis, memo }) => {
    const { data } = await api('POST', `/v1/wallet/${wallet.id}/invoice`, { num_satoshis: Number(num_satoshis), memo });
    showInvoice(data);
  });
  onSubmit($('#pay-form'), async ({ payment_request }) => {
    $('#pay-result').textContent = '';
    const { data } = await api('POST', `/v1/wallet/${wallet.id}/withdraw`, { payment_request: payment_request.trim() });
    const fee = data.lnTx?.fee_msat ? ` (fee ${data.lnTx.fee_msat} msat)` : '';
    $('#pay-result').textContent = `Paid ${Math.abs(data.num_satoshis)} sats${fee}.`;
    $('#pay-form').reset();
    await refresh();
  });
  $('#copy-pr').addEventListener('click', copyPaymentRequest);
  $('#sandbox-pay').addEventListener('click', () =>
    guarded($('#sandbox-pay'), $('#invoice-error'), async () => {
      await api('POST', '/v1/sandbox/pay', { payment_request: $('#invoice-pr').value });
      await checkInvoice();
    }),
  );
}

export async function showWallet(chosen) {
  stopPolling();
  wallet = chosen;
  txPage = 1;
  $('#wallet-title').textContent = `Wallet: ${wallet.user_label ?? wallet.id}`;
  $('#wallet-id').textContent = wallet.id;
  $('#invoice').hidden = true;
  $('#pay-result').textContent = '';
  $('#wallet').hidden = false;
  $('#wallet-title').focus();
  await refresh();
}

export function closeWallet() {
  stopPolling();
  wallet = null;
  $('#wallet').hidden = true;
}

function refresh() {
  return guarded(null, $('#wallet-error'), async () => {
    const [{ data: current }, { data: txs, page }] = await Promise.all([
      api('GET', `/v1/wallet/${wallet.id}`),
      api('GET', `/v1/wallet/${wallet.id}/transactions?page=${txPage}&per-page=${PER_PAGE}`),
    ]);
    $('#wallet-balance').textContent = String(current.balance);
    txPage = page.current;
    $('#tx-table tbody').replaceChildren(...txs.map(txRow));
    renderPager($('#tx-pager'), page, 'transactions', (n) => {
      txPage = n;
      return refresh();
    });
    onMoneyMoved();
  });
}

function txRow(tx) {
  const memo = tx.lnTx?.memo || tx.user_label;
  return el('tr', {}, cell(when(tx.created_at)), cell(tx.wtxType?.display_name), cell(tx.num_satoshis, 'num'), cell(memo), cell(tx.wal?.balance, 'num'));
}

function showInvoice(lntx) {
  stopPolling();
  $('#invoice').dataset.lntxId = lntx.id;
  $('#invoice-qr').replaceChildren(invoiceQr(lntx.payment_request));
  $('#invoice-pr').value = lntx.payment_request;
  $('#copy-result').textContent = '';
  showError($('#invoice-error'), null);
  setStatus(lntx);
  $('#invoice').hidden = false;
  poll = setInterval(checkInvoice, POLL_MS);
}

async function checkInvoice() {
  const id = $('#invoice').dataset.lntxId;
  try {
    const { data } = await api('GET', `/v1/lntx/${id}`);
    if (id !== $('#invoice').dataset.lntxId) return;
    if (setStatus(data)) stopPolling();
    if (data.settled) await refresh();
  } catch (err) {
    showError($('#invoice-error'), err);
  }
}

/** Shows the invoice's state; true once it can no longer change. */
function setStatus(lntx) {
  const status = $('#invoice-status');
  const expired = !lntx.settled && lntx.expires_at * 1000 < Date.now();
  status.textContent = lntx.settled ? `Paid ${when(lntx.settled_at)}` : expired ? 'Expired' : 'Waiting for payment…';
  status.className = lntx.settled ? 'paid' : '';
  const final = Boolean(lntx.settled) || expired;
  $('#sandbox-pay').hidden = !sandbox || final;
  return final;
}

async function copyPaymentRequest() {
  try {
    await navigator.clipboard.writeText($('#invoice-pr').value);
    $('#copy-result').textContent = 'Copied.';
  } catch {
    $('#invoice-pr').select();
    $('#copy-result').textContent = 'Copying is blocked here: the text is selected, press Ctrl+C.';
  }
}

function stopPolling() {
  clearInterval(poll);
  poll = null;
}
