/**
 * Compiles src/ into dist/ (one .js per .ts, same tree) for `npm start` and
 * the `lnpayd` bin. Plain Node loads that in about a second less than tsx does,
 * and it is esbuild's output, the same transform tsx applies to the tests.
 * Files the code reads beside itself (migrations, dashboard assets) are copied.
 */
import { cp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const OUT = join(ROOT, 'dist');
const ASSETS = ['store/migrations', 'dashboard/public'];

const entryPoints = (await readdir(SRC, { recursive: true }))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(SRC, file));

await rm(OUT, { recursive: true, force: true });
await build({
  entryPoints,
  outdir: OUT,
  outbase: SRC,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundling only so that the plugin below sees every import: each module stays its own file.
  bundle: true,
  packages: 'external',
  logLevel: 'warning',
  plugins: [
    {
      name: 'relative-imports-stay-modules',
      setup(b) {
        b.onResolve({ filter: /^\.\.?\// }, ({ path, kind }) =>
          kind === 'entry-point' ? undefined : { path: path.replace(/\.ts$/, '.js'), external: true },
        );
      },
    },
  ],
});
for (const dir of ASSETS) await cp(join(SRC, dir), join(OUT, dir), { recursive: true });
