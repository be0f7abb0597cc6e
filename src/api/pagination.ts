import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageWindow as Page } from '../services/listRecords.ts';
import type { Sort } from '../store/sort.ts';

export interface PageRule {
  defaultSize: number;
  maxSize: number;
  /** Extra query parameter naming the page size (LNPay's `page-size` on wallet transactions). */
  sizeAlias?: string;
}


function intOr(value: unknown, fallback: number): number {
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) return fallback;
  return Number(value);
}

/**
 * LNPay clamps rather than rejects: per-page into 1..max, and a page past
 * the end serves the last page.
 */
export function pageOf(request: FastifyRequest, rule: PageRule, total: number): Page {
  const query = request.query as Record<string, unknown>;
  const requested = query['per-page'] ?? (rule.sizeAlias ? query[rule.sizeAlias] : undefined);
  const limit = Math.min(rule.maxSize, Math.max(1, intOr(requested, rule.defaultSize)));
  const pageCount = Math.max(1, Math.ceil(total / limit));
  const page = Math.min(pageCount, Math.max(1, intOr(query.page, 1)));
  return { limit, offset: (page - 1) * limit, page };
}

export function setPageHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  rule: PageRule,
  page: Page,
  total: number,
  baseUrl: string,
): void {
  const pageCount = Math.max(1, Math.ceil(total / page.limit));
  reply.header('X-Pagination-Total-Count', String(total));
  reply.header('X-Pagination-Page-Count', String(Math.ceil(total / page.limit)));
  reply.header('X-Pagination-Current-Page', String(page.page));
  reply.header('X-Pagination-Per-Page', String(page.limit));
  const url = (n: number) => {
    const u = new URL(request.url, baseUrl);
    u.searchParams.set('page', String(n));
    if (page.limit !== rule.defaultSize) u.searchParams.set('per-page', String(page.limit));
    else u.searchParams.delete('per-page');
    return u.toString();
  };
  const links = [`<${url(page.page)}>; rel=self`];
  if (total > 0) {
    links.push(`<${url(1)}>; rel=first`, `<${url(pageCount)}>; rel=last`);
    if (page.page > 1) links.push(`<${url(page.page - 1)}>; rel=prev`);
    if (page.page < pageCount) links.push(`<${url(page.page + 1)}>; rel=next`);
  }
  reply.header('Link', links.join(', '));
}

/** `?sort=col` / `-col`; the store decides which columns may be sorted on. */
export function sortOf(request: FastifyRequest): Sort {
  const raw = (request.query as Record<string, unknown>).sort;
  const sort = typeof raw === 'string' && /^-?\w+$/.test(raw) ? raw : '-created_at';
  return { field: sort.replace(/^-/, ''), desc: sort.startsWith('-') };
}
