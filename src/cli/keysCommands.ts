import { hashKey } from '../access/keys.ts';
import { type ApiRole, findApiKeyRole } from '../store/apiKeys.ts';
import { type RootKeys, readRootKeysFile, rotateRootKeys } from '../services/rootKeys.ts';
import { type Command, EXIT } from './command.ts';

const ROLES: { role: ApiRole; field: keyof RootKeys; label: string; pinVariable: string }[] = [
  { role: 'sak', field: 'secretKey', label: 'secret key', pinVariable: 'LNPAYD_SECRET_KEY' },
  { role: 'pak', field: 'publicKey', label: 'public key', pinVariable: 'LNPAYD_PUBLIC_KEY' },
];

const CACHE_NOTE = 'A running server honours a rotation within 10 s (it caches API-key lookups that long).';

export const keysShow: Command = {
  words: ['keys', 'show'],
  summary: 'print the root API keys kept in DATA_DIR/root-keys.json',
  usage: '',
  details: ['Only their hashes are in the database: a key pinned by the environment or lost from the file is reported as unknown.'],
  arity: 0,
  needs: 'database',
  async run(db, { config, out }) {
    const stored = await readRootKeysFile(config.dataDir);
    const keys: Record<string, { key: string | null; status: 'valid' | 'pinned' | 'stale' | 'unknown' }> = {};
    for (const { role, field } of ROLES) {
      const key = stored[field];
      if (config[field]) keys[field] = { key: null, status: 'pinned' };
      else if (!key) keys[field] = { key: null, status: 'unknown' };
      else keys[field] = { key, status: (await findApiKeyRole(db, hashKey(key))) === role ? 'valid' : 'stale' };
    }
    const describe = ({ field, label, pinVariable }: (typeof ROLES)[number]) => {
      const entry = keys[field] as { key: string | null; status: string };
      switch (entry.status) {
        case 'pinned':
          return `${label}: pinned by ${pinVariable} (not shown)`;
        case 'unknown':
          return `${label}: unknown (not in ${config.dataDir}/root-keys.json; \`lnpayd keys rotate\` makes a new one)`;
        case 'stale':
          return `${label}: ${entry.key} — NO LONGER VALID (replaced in the database; rotate to get a working one)`;
        default:
          return `${label}: ${entry.key}`;
      }
    };
    out.result(ROLES.map(describe), keys);
    return EXIT.ok;
  },
};

export const keysRotate: Command = {
  words: ['keys', 'rotate'],
  summary: 'replace the root API keys (both, or only --secret / --public)',
  usage: '[--secret] [--public]',
  details: [
    'The old key stops working at once: its hash is replaced in the database. The new key is printed once',
    `and written to DATA_DIR/root-keys.json (mode 0600). ${CACHE_NOTE}`,
    'A key pinned by LNPAYD_SECRET_KEY / LNPAYD_PUBLIC_KEY cannot be rotated here: change the variable.',
  ],
  options: { secret: { type: 'boolean' }, public: { type: 'boolean' } },
  arity: 0,
  needs: 'database',
  async run(db, { config, values, out }) {
    const picked = ROLES.filter(({ role }) => values[role === 'sak' ? 'secret' : 'public']);
    const roles = (picked.length > 0 ? picked : ROLES).map((r) => r.role);
    const { keys, keysFile } = await rotateRootKeys(db, config.dataDir, roles, config);
    const lines = ROLES.filter(({ field }) => keys[field]).map(({ field, label }) => `new ${label}: ${keys[field]}`);
    out.result([...lines, `(shown once; stored in ${keysFile}) ${CACHE_NOTE}`], { ...keys, keysFile });
    return EXIT.ok;
  },
};
