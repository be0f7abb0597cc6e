export interface Sort {
  field: string;
  desc: boolean;
}

/** ORDER BY from a whitelist of sortable fields; unknown fields fall back to the tiebreak. */
export function sqlOrder(sort: Sort, columns: Record<string, string>, tiebreak: string): string {
  const dir = sort.desc ? 'desc' : 'asc';
  const column = Object.hasOwn(columns, sort.field) ? columns[sort.field] : undefined;
  return column ? `${column} ${dir}, ${tiebreak} ${dir}` : `${tiebreak} ${dir}`;
}
