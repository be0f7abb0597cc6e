import { api, session } from './api.js';
import { $, onSubmit } from './dom.js';
import { closeWallet, setupWallet, showWallet } from './wallet.js';
import { hideNewKeys, loadWallets, setupWallets } from './wallets.js';
import { closeWebhooks, loadWebhooks, setupWebhooks } from './webhooks.js';

setupWallets(showWallet);
setupWallet(() => loadWallets());
setupWebhooks();

onSubmit($('#sign-in-form'), async ({ key }) => {
  const secretKey = key.trim();
  if (!secretKey.startsWith('sak_')) throw new Error('This is not a secret key: secret keys start with sak_.');
  // The wallet list needs the secret key, so it proves the key before it is kept.
  await api('GET', '/v1/wallets?per-page=1', undefined, secretKey);
  session.signIn(secretKey);
  $('#sign-in-form').reset();
  await enter();
});

$('#sign-out').addEventListener('click', () => {
  session.signOut();
  closeWallet();
  closeWebhooks();
  hideNewKeys();
  $('#signed-in').hidden = true;
  $('#sign-out').hidden = true;
  $('#sign-in').hidden = false;
  $('#secret-key').focus();
});

async function enter() {
  $('#sign-in').hidden = true;
  $('#signed-in').hidden = false;
  $('#sign-out').hidden = false;
  $('#wallets-title').focus();
  await Promise.all([loadWallets(1), loadWebhooks()]);
}

if (session.key) void enter();
else $('#secret-key').focus();
