import { readFileSync, readdirSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { Errors } from '../errors.ts';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
// uqr's ES module has no imports and no Node APIs, so browsers load it as installed: no bundling step.
const QR_MODULE = fileURLToPath(import.meta.resolve('uqr'));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Self only: no inline code, no third-party origin, not framable; the page talks to this server's API alone. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

interface Asset {
  body: Buffer;
  type: string;
}

function asset(path: string, body: Buffer = readFileSync(path)): Asset {
  return { body, type: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' };
}

/**
 * The operator's dashboard: static files read once at start and served from
 * memory under /dashboard. The page learns whether the sandbox exists from an
 * attribute of its own HTML, so it never probes the API for it.
 */
export const dashboardRoutes: FastifyPluginAsync<{ sandbox: boolean }> = async (app, { sandbox }) => {
  const files = new Map<string, Asset>();
  for (const name of readdirSync(PUBLIC_DIR)) {
    if (name !== 'index.html') files.set(name, asset(PUBLIC_DIR + name));
  }
  files.set('uqr.mjs', asset(QR_MODULE));
  const page = readFileSync(PUBLIC_DIR + 'index.html', 'utf8').replace('{{sandbox}}', String(sandbox));
  const index = asset('index.html', Buffer.from(page));

  const options = { config: { auth: 'none' as const }, schema: { hide: true } };
  app.get('/dashboard', options, async (_request, reply) => reply.headers(SECURITY_HEADERS).type(index.type).send(index.body));
  app.get<{ Params: { file: string } }>('/dashboard/:file', options, async (request, reply) => {
    const file = files.get(request.params.file);
    if (!file) throw Errors.routeNotFound();
    return reply.headers(SECURITY_HEADERS).type(file.type).send(file.body);
  });
};
