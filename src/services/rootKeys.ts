import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
    if (fromFile) {
      await insertApiKeyIfMissing(db, role, hashKey(fromFile), now);
      chosen[field] = fromFile;
    } else if ((await countApiKeys(db, role)) === 0) {
      const key = generateKey(`${role}_`, API_KEY_LENGTH);
      await insertApiKeyIfMissing(db, role, hashKey(key), now);
      chosen[field] = generated[field] = key;
    }
  }
  if (path && (generated.secretKey || generated.publicKey)) {
    await writeFile(path, JSON.stringify({ ...stored, ...chosen }, null, 2) + '\n', { mode: 0o600 });
    await chmod(path, 0o600);
    result.generated = { secretKey: chosen.secretKey ?? '(pinned)', publicKey: chosen.publicKey ?? '(pinned)' };
  } else if (generated.secretKey || generated.publicKey) {
    result.generated = { secretKey: chosen.secretKey ?? '(pinned)', publicKey: chosen.publicKey ?? '(pinned)' };
  }
  return result;
}

async function readKeysFile(path: string): Promise<Partial<RootKeys> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Partial<RootKeys>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${path} is not readable JSON: ${(err as Error).message}`, { cause: err });
  }
}
