import type { ServiceContext } from './context.ts';

/** Names the parts that do not answer: 'database', 'lightning'. */
export async function checkHealth(ctx: ServiceContext): Promise<string[]> {
  const [db, ln] = await Promise.allSettled([ctx.db.query('select 1'), ctx.lightning.info()]);
  const failing: string[] = [];
  if (db.status === 'rejected') failing.push('database');
  if (ln.status === 'rejected') failing.push('lightning');
  return failing;
}
