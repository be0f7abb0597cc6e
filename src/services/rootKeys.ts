import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { API_KEY_LENGTH, generateKey, hashKey } from '../access/keys.ts';
import { nowSeconds } from '../lib/time.ts';
import { type ApiRole, countApiKeys, insertApiKeyIfMissing, replaceApiKey } from '../store/apiKeys.ts';
import type { Db } from '../store/db.ts';

export interface RootKeys {
  secretKey: string;
  publicKey: string;
}

export interface RootKeySetup {
  /** Set only when this start generated the keys: print them once. */
  generated?: RootKeys;
  keysFile: string | undefined;
}

const KEYS_FILE = 'root-keys.json';

/**
 * Pinned keys (environment) replace any others of their role. Otherwise the
 * keys in DATA_DIR are used, and on a first start new ones are generated,
 * written there (mode 0600) and returned for printing.
 */
export async function ensureRootKeys(
  db: Db,
  dataDir: string | undefined,
  pinned: { secretKey: string | undefined; publicKey: string | undefined },
): Promise<RootKeySetup> {
  const now = nowSeconds();
  const path = dataDir ? join(dataDir, KEYS_FILE) : undefined;
  const stored = path ? await readKeysFile(path) : undefined;
  const result: RootKeySetup = { keysFile: path };
  const generated: Partial<RootKeys> = {};
  const roles: [ApiRole, keyof RootKeys, string | undefined][] = [
    ['sak', 'secretKey', pinned.secretKey],
    ['pak', 'publicKey', pinned.publicKey],
  ];
  const chosen: Partial<RootKeys> = {};
  for (const [role, field, pin] of roles) {
    if (pin) {
      await replaceApiKey(db, role, hashKey(pin), now);
      continue;
    }
    const fromFile = stored?.[field];
    const known = await countApiKeys(db, role);
    if (fromFile) {
      // Only into an empty role: a key replaced since (rotated or pinned, maybe from another DATA_DIR) stays revoked.
      if (known === 0) await insertApiKeyIfMissing(db, role, hashKey(fromFile), now);
      chosen[field] = fromFile;
    } else if (known === 0) {
      const key = generateKey(`${role}_`, API_KEY_LENGTH);
      await insertApiKeyIfMissing(db, role, hashKey(key), now);
      chosen[field] = generated[field] = key;
    }
  }
  if (path && (generated.secretKey || generated.publicKey)) {
    await writeKeysFile(path, { ...stored, ...chosen });
    result.generated = { secretKey: chosen.secretKey ?? '(pinned)', publicKey: chosen.publicKey ?? '(pinned)' };
  } else if (generated.secretKey || generated.publicKey) {
    result.generated = { secretKey: chosen.secretKey ?? '(pinned)', publicKey: chosen.publicKey ?? '(pinned)' };
  }
  return result;
}

export class RootKeyPinnedError extends Error {}

/** The root keys DATA_DIR knows; a role missing here was pinned or generated elsewhere. */
export async function readRootKeysFile(dataDir: string): Promise<Partial<RootKeys>> {
  return (await readKeysFile(join(dataDir, KEYS_FILE))) ?? {};
}

const ROLE_FIELDS: Record<ApiRole, keyof RootKeys> = { sak: 'secretKey', pak: 'publicKey' };
const PINS: Record<ApiRole, { label: string; variable: string }> = {
  sak: { label: 'secret key', variable: 'LNPAYD_SECRET_KEY' },
  pak: { label: 'public key', variable: 'LNPAYD_PUBLIC_KEY' },
};

/**
 * New root keys for the given roles: each replaces every key of its role in
 * one transaction (the old ones stop working), then is written to DATA_DIR
 * (0600) and returned to be shown once. A role pinned by the environment
 * would be put back at the next start, so it is refused.
 */
export async function rotateRootKeys(
  db: Db,
  dataDir: string,
  roles: ApiRole[],
  pinned: { secretKey: string | undefined; publicKey: string | undefined },
): Promise<{ keys: Partial<RootKeys>; keysFile: string }> {
  for (const role of roles) {
    if (pinned[ROLE_FIELDS[role]]) {
      throw new RootKeyPinnedError(`the ${PINS[role].label} is pinned by ${PINS[role].variable}: change that variable instead`);
    }
  }
  const now = nowSeconds();
  const keys: Partial<RootKeys> = {};
  for (const role of roles) keys[ROLE_FIELDS[role]] = generateKey(`${role}_`, API_KEY_LENGTH);
  await db.transaction(async (tx) => {
    for (const role of roles) await replaceApiKey(tx, role, hashKey(keys[ROLE_FIELDS[role]] as string), now);
  });
  const keysFile = join(dataDir, KEYS_FILE);
  await writeKeysFile(keysFile, { ...(await readKeysFile(keysFile)), ...keys });
  return { keys, keysFile };
}

async function writeKeysFile(path: string, keys: Partial<RootKeys>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  // The mode above applies only to a file created now.
  await chmod(path, 0o600);
}

async function readKeysFile(path: string): Promise<Partial<RootKeys> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Partial<RootKeys>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${path} is not readable JSON: ${(err as Error).message}`, { cause: err });
  }
}
