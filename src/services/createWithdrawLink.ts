import { encodeLnurl } from '../lnurl/encoding.ts';
import { randomAlnum } from '../lib/random.ts';
import { nowSeconds } from '../lib/time.ts';
import { type LnurlSite, withdrawProcessUrl } from '../lnurl/site.ts';
import { insertWithdrawLink } from '../store/lnurlw.ts';
import type { WalletRow } from '../store/wallets.ts';
import type { ServiceContext } from './context.ts';
import { publicLinkKey } from './publicLinkKey.ts';

export interface WithdrawLinkInput {
  /** true: disposable (`ott`), paid out once; false: permanent, limited only by the balance and num_satoshis. */
  oneTime: boolean;
  numSatoshis: number | undefined;
  memo: string | undefined;
  /** As given: base64 of a JSON object, repeated in the link. */
  passThruBase64: string | undefined;
  passThru: Record<string, unknown>;
}

/** GET …/lnurl/withdraw and …/lnurl/withdraw-static: an LNURL-withdraw link on the wallet's waklw_ key. */
export async function createWithdrawLink(
  ctx: ServiceContext,
  site: LnurlSite,
  wallet: WalletRow,
  input: WithdrawLinkInput,
): Promise<{ lnurl: string; ott?: string }> {
  return ctx.db.transaction(async (tx) => {
    const key = await publicLinkKey(tx, wallet.id, 'lnurlWithdraw');
    const ott = input.oneTime ? randomAlnum(12) : undefined;
    if (ott) {
      await insertWithdrawLink(tx, {
        ott,
        wallet_id: wallet.id,
        num_satoshis: input.numSatoshis ?? null,
        memo: input.memo ?? null,
        pass_thru: input.passThru,
        created_at: nowSeconds(),
      });
    }
    const url = withdrawProcessUrl(site, key, {
      tag: 'withdraw',
      ott,
      num_satoshis: input.numSatoshis,
      memo: input.memo,
      passThru: input.passThruBase64,
    });
    return { lnurl: encodeLnurl(url), ...(ott ? { ott } : {}) };
  });
}
