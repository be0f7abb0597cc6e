import { createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { createSigner, decodeInvoice, encodeInvoice, type Signer } from '../../bolt11/index.ts';
import { fromHex, toHex } from '../../lib/hex.ts';
import { nowSeconds } from '../../lib/time.ts';
import {
  type CreateInvoiceRequest,
  type CreatedInvoice,
  type IncomingPayment,
  type LightningBackend,
  LightningError,
} from '../backend.ts';

const NETWORK = 'bcrt';
const MIN_FINAL_CLTV_EXPIRY = 80;

/**
 * A simulated Lightning node with a real identity: its key lives in DATA_DIR,
 * and its invoices are signed BOLT11 that any decoder accepts. It keeps no
 * invoice state: the preimage is derived from the node key and the invoice's
 * payment secret, so only this node can reveal it, and only for its own invoices.
 */
export class EmbeddedNode implements LightningBackend {
  readonly kind = 'embedded' as const;
  readonly sandbox = { receiveFromOutside: (pr: string, now: number) => this.receiveFromOutside(pr, now) };
  private readonly pubkey: string;

  private constructor(
    private readonly nodeKey: Uint8Array,
    private readonly signer: Signer,
  ) {
    this.pubkey = toHex(signer.publicKey);
  }

  static async open(dataDir: string | undefined): Promise<EmbeddedNode> {
    const key = dataDir ? await loadOrCreateKey(join(dataDir, 'node.key')) : new Uint8Array(randomBytes(32));
    return new EmbeddedNode(key, createSigner(key));
  }

  async info() {
    return { pubkey: this.pubkey, alias: 'lnpayd-embedded', network: 'regtest' };
  }

  async createInvoice(req: CreateInvoiceRequest): Promise<CreatedInvoice> {
    const paymentSecret = new Uint8Array(randomBytes(32));
    const paymentHash = sha256(this.preimageFor(paymentSecret));
    const createdAt = nowSeconds();
    const paymentRequest = encodeInvoice(
      {
        network: NETWORK,
        amountMsat: req.amountMsat,
        timestamp: createdAt,
        paymentHash,
        paymentSecret,
        expirySeconds: req.expirySeconds,
        minFinalCltvExpiry: MIN_FINAL_CLTV_EXPIRY,
        ...(req.descriptionHash ? { descriptionHash: req.descriptionHash } : { description: req.description ?? '' }),
      },
      this.signer,
    );
    return {
      paymentRequest,
      paymentHash: toHex(paymentHash),
      paymentSecret: toHex(paymentSecret),
      createdAt,
      expiresAt: createdAt + req.expirySeconds,
    };
  }

  async decode(paymentRequest: string) {
    return decodeInvoice(paymentRequest);
  }

  async close() {}

  private receiveFromOutside(paymentRequest: string, now: number): IncomingPayment {
    const invoice = decodeInvoice(paymentRequest);
    if (invoice.payeePubkey !== this.pubkey || !invoice.paymentSecret) {
      throw new LightningError('invoice is not payable to this node');
    }
    if (invoice.expiresAt <= now) throw new LightningError('invoice expired');
    const preimage = this.preimageFor(fromHex(invoice.paymentSecret));
    if (toHex(sha256(preimage)) !== invoice.paymentHash) throw new LightningError('invoice is not payable to this node');
    return { paymentHash: invoice.paymentHash, preimage: toHex(preimage), amountMsat: invoice.amountMsat ?? 0 };
  }

  private preimageFor(paymentSecret: Uint8Array): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.nodeKey).update('lnpayd-preimage').update(paymentSecret).digest());
  }
}

async function loadOrCreateKey(path: string): Promise<Uint8Array> {
  try {
    const hex = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new LightningError(`${path} does not hold a 32-byte hex node key`);
    return fromHex(hex);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(join(path, '..'), { recursive: true });
  const key = new Uint8Array(randomBytes(32));
  await writeFile(path, toHex(key) + '\n', { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  return key;
}
