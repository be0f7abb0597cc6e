import { Errors } from '../errors.ts';
import {
  InsufficientBalanceError,
  type PostedEntry,
  type Posting,
  type Refusal,
  UnknownAccountError,
  post,
  postMany,
} from '../ledger/ledger.ts';
import { TurnBatcher, type Waiting } from '../lib/turnBatcher.ts';
import { newId } from '../lib/random.ts';
import { nowSeconds } from '../lib/time.ts';
import { wtxJson } from '../model/present.ts';
import { WTX_TYPES } from '../model/wtxTypes.ts';
import { refusedByDatabase } from '../store/db.ts';
import { type NewWtx, insertWtx } from '../store/transactions.ts';
import type { WalletRef } from './walletAccess.ts';
import type { ServiceContext } from './context.ts';
import { type IdempotencyClaim, answerIdempotently, claimOrReplay } from './idempotency.ts';
import { type EventToRecord, recordEvents } from './recordEvent.ts';

export interface TransferInput {
  wallet: WalletRef;
  destWalletId: string;
  numSatoshis: number;
  memo: string | null;
  lnPayParams: unknown;
  passThru: Record<string, unknown>;
  idempotency: IdempotencyClaim | undefined;
}

type TransferResponse = ReturnType<typeof transferRecords>['response'];

/**
 * Moves sats between two wallets of this node: one ledger entry, two wallet
 * transactions, events out then in. Transfers without an Idempotency-Key that
 * arrive in the same event-loop turn share one database transaction.
 */
export async function transfer(ctx: ServiceContext, input: TransferInput): Promise<TransferResponse> {
  if (!/^(wal_|walx_|w_)/.test(input.destWalletId)) throw Errors.invalidDestWallet();
  if (input.destWalletId === input.wallet.id) throw Errors.sameWalletTransfer();
  return input.idempotency ? transferAlone(ctx, input) : together.submit(ctx, input);
}

/**
 * Up to 64 transfers a transaction (their wallet transactions, two each, stay
 * one modest INSERT), two such transactions at a time per process: while one
 * commits, the next fills. A transfer naming a wallet of the batch in flight
 * waits for the next one, so the two never wait on each other's locks.
 */
const TOGETHER = {
  maxItems: 64,
  maxFlushing: 2,
  claims: (input: TransferInput) => [input.wallet.id, input.destWalletId],
};
const together = new TurnBatcher<ServiceContext, TransferInput, TransferResponse>(TOGETHER, transferTogether);

/**
 * The transfers of one turn in one transaction: one ledger statement posts
 * them in order, each refused on its own (postMany), and their rows and events
 * go out with the COMMIT. Locks are taken once and the commit (its WAL flush)
 * is shared, which is what lets a busy wallet send many transfers a commit.
 * If the database refused the transaction, nothing of it was written, and
 * each transfer runs again alone for its own answer.
 */
async function transferTogether(ctx: ServiceContext, batch: Waiting<TransferInput, TransferResponse>[]): Promise<void> {
  const alone = (w: Waiting<TransferInput, TransferResponse>) => transferAlone(ctx, w.item).then(w.resolve, w.reject);
  if (batch.length === 1 && batch[0]) return alone(batch[0]);
  let outcomes: (ReturnType<typeof transferRecords> | { refused: Refusal })[];
  try {
    outcomes = await ctx.db.transaction(async (tx) => {
      const now = nowSeconds();
      const entries = await postMany(tx, 'transfer', batch.map((w) => postingsOf(w.item)), now);
      const done = entries.map((entry, i) =>
        'refused' in entry ? entry : transferRecords(batch[i]!.item, entry, now),
      );
      const written = done.filter((d) => 'wtx' in d);
      const [first, ...rest] = written.flatMap((d) => d.wtx);
      if (first) tx.commitWith(insertWtx(tx, first, ...rest), recordEvents(tx, written.flatMap((d) => d.events), now));
      return done;
    });
  } catch (err) {
    if (!refusedByDatabase(err)) throw err;
    await Promise.all(batch.map(alone));
    return;
  }
  outcomes.forEach((outcome, i) => {
    const w = batch[i]!;
    if ('refused' in outcome) w.reject(refusalError(outcome.refused));
    else w.resolve(outcome.response);
  });
}

async function transferAlone(ctx: ServiceContext, input: TransferInput): Promise<TransferResponse> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const now = nowSeconds();
      if (input.idempotency) await claimOrReplay(tx, input.wallet.id, input.idempotency, now);
      // The entry also tells whether the destination exists: no separate lookup.
      const entry = await post(tx, 'transfer', postingsOf(input), now);
      const { wtx, events, response } = transferRecords(input, entry, now);
      // Rows, events and the stored answer go out with the COMMIT: one round trip.
      tx.commitWith(
        insertWtx(tx, ...wtx),
        recordEvents(tx, events, now),
        answerIdempotently(tx, input.wallet.id, input.idempotency?.key, 201, response),
      );
      return response;
    });
  } catch (err) {
    if (err instanceof InsufficientBalanceError) throw Errors.insufficientForTransfer();
    if (err instanceof UnknownAccountError) throw Errors.invalidDestWallet();
    throw err;
  }
}

function postingsOf(input: TransferInput): Posting[] {
  const amountMsat = input.numSatoshis * 1000;
  return [
    { account: input.wallet.id, amountMsat: -amountMsat },
    { account: input.destWalletId, amountMsat },
  ];
}

/** The two wallet transactions a posted transfer writes, their events and the answer. */
function transferRecords(input: TransferInput, entry: PostedEntry, now: number) {
  const passThru = {
    ...input.passThru,
    lnPayParams: input.lnPayParams ?? null,
    source_wallet_id: input.wallet.id,
    dest_wallet_id: input.destWalletId,
  };
  const row = (walletId: string, type: 'ln_transfer_out' | 'ln_transfer_in', sign: number) => {
    const wallet = entry.wallets.get(walletId);
    if (!wallet) throw new UnknownAccountError(walletId);
    const wtx: NewWtx = {
      id: newId('wtx_', 24),
      wallet_id: wallet.id,
      created_at: now,
      num_satoshis: sign * input.numSatoshis,
      type_id: WTX_TYPES[type].id,
      user_label: input.memo,
      lntx_id: null,
      pass_thru: passThru,
      entry_id: entry.entryId,
      balance_after_msat: wallet.balance_msat,
    };
    return { wtx, json: wtxJson({ wtx, wallet, lntx: null }) };
  };
  const out = row(input.wallet.id, 'ln_transfer_out', -1);
  const into = row(input.destWalletId, 'ln_transfer_in', 1);
  const events: EventToRecord[] = [
    { name: 'wallet_transfer_out', data: { wtx: out.json } },
    { name: 'wallet_transfer_in', data: { wtx: into.json } },
  ];
  return {
    wtx: [out.wtx, into.wtx] as [NewWtx, NewWtx],
    events,
    response: { wtx_transfer_in: into.json, wtx_transfer_out: out.json },
  };
}

function refusalError(refused: Refusal) {
  if (refused === 'insufficient') return Errors.insufficientForTransfer();
  if (refused === 'limit') return Errors.balanceLimit();
  return Errors.invalidDestWallet();
}
