import { createWallet } from '../services/createWallet.ts';
import { listWallets } from '../services/listRecords.ts';
import { walletJson } from '../model/present.ts';
import { type Command, EXIT, UsageError, stringOption } from './command.ts';

export const walletsCreate: Command = {
  words: ['wallets', 'create'],
  summary: 'create a wallet and print its 7 access keys (shown only now)',
  usage: '--label <user label>',
  options: { label: { type: 'string' } },
  arity: 0,
  needs: 'services',
  async run(ctx, { values, out }) {
    const label = stringOption(values, 'label');
    if (!label || label.length > 255) throw new UsageError('--label is required (1 to 255 characters)');
    const wallet = await createWallet(ctx, { userLabel: label });
    const keys = Object.entries(wallet.access_keys).map(([role, [key]]) => `  ${(role + ':').padEnd(32)} ${key}`);
    out.result([`wallet ${wallet.id} "${wallet.user_label}", balance ${wallet.balance} sats`, 'access keys (shown only now):', ...keys], wallet);
    return EXIT.ok;
  },
};

export const walletsList: Command = {
  words: ['wallets', 'list'],
  summary: 'list every wallet with its balance, newest first',
  usage: '',
  arity: 0,
  needs: 'services',
  async run(ctx, { out }) {
    const { rows } = await listWallets(ctx, { field: 'created_at', desc: true }, (total) => ({ limit: total, offset: 0, page: 1 }));
    const wallets = rows.map((w) => walletJson(w));
    const lines = wallets.map((w) => `${w.id.padEnd(20)} ${String(w.balance).padStart(12)} sats  ${w.user_label}`);
    out.result(lines.length > 0 ? lines : ['no wallets yet'], wallets);
    return EXIT.ok;
  },
};
