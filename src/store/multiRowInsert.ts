/**
 * The INSERT of `rows` rows into `table`, its parameters numbered row by row
 * in column order; `casts` maps a column to the type its parameter is cast to
 * (such as jsonb). Memoized per row count, so each shape is one prepared
 * statement.
 */
export function multiRowInsert(
  table: string,
  columns: readonly string[],
  casts: Readonly<Record<string, string>> = {},
): (rows: number) => string {
  const statements = new Map<number, string>();
  const tuple = (row: number) =>
    `(${columns.map((column, i) => `$${row * columns.length + i + 1}${casts[column] ? `::${casts[column]}` : ''}`).join(', ')})`;
  return (rows) => {
    let sql = statements.get(rows);
    if (sql === undefined) {
      sql = `insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: rows }, (_, r) => tuple(r)).join(', ')}`;
      statements.set(rows, sql);
    }
    return sql;
  };
}
