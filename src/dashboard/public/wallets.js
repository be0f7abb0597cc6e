import { api } from './api.js';
import { $, cell, el, guarded, onSubmit, renderPager } from './dom.js';

const PER_PAGE = 20;
let currentPage = 1;
let openWallet = () => {};

export function setupWallets(onOpen) {
  openWallet = onOpen;
  onSubmit($('#create-wallet-form'), async ({ user_label }) => {
    const { data } = await api('POST', '/v1/wallet', { user_label });
    showNewKeys(data);
    $('#create-wallet-form').reset();
    await loadWallets(1);
  });
}

export function loadWallets(page = currentPage) {
  return guarded(null, $('#wallets-error'), async () => {
    const { data, page: pages } = await api('GET', `/v1/wallets?page=${page}&per-page=${PER_PAGE}`);
    currentPage = pages.current;
    $('#wallet-table tbody').replaceChildren(...data.map(walletRow));
    renderPager($('#wallet-pager'), pages, 'wallets', loadWallets);
  });
}

function walletRow(wallet) {
  const open = el('button', { type: 'button', onclick: () => openWallet(wallet) }, 'Open');
  open.setAttribute('aria-label', `Open wallet ${wallet.user_label ?? wallet.id}`);
  return el('tr', { 'data-wallet-id': wallet.id }, cell(wallet.user_label), cell(wallet.id, 'id'), cell(wallet.balance, 'num'), el('td', {}, open));
}

function showNewKeys(wallet) {
  $('#new-wallet-label').textContent = `${wallet.user_label} (${wallet.id})`;
  const rows = Object.entries(wallet.access_keys).flatMap(([role, keys]) => [el('dt', {}, role), el('dd', {}, keys.join(', '))]);
  $('#new-wallet-keys').replaceChildren(...rows);
  $('#new-wallet').hidden = false;
}

export function hideNewKeys() {
  $('#new-wallet-keys').replaceChildren();
  $('#new-wallet').hidden = true;
}
