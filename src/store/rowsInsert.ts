/** An INSERT of any number of rows: one SQL text, the rows in one parameter. */
export interface RowsInsert<Row> {
  readonly sql: string;
  readonly columns: readonly (keyof Row & string)[];
  params(rows: readonly Row[]): unknown[];
}

/**
 * The INSERT of rows into `table`, whose `columns` map each column to its SQL
 * type. The rows travel as one JSON array that jsonb_to_recordset turns back
 * into typed columns, inserted in array order. One text for every row count is
 * one prepared statement per connection: a VALUES list per row count made the
 * driver prepare each new count on each connection, a round trip more, in the
 * middle of the transaction that holds the locks. A row's other properties
 * are ignored, a missing one is NULL.
 */
export function rowsInsert<Row extends object>(
  table: string,
  columns: Readonly<Record<keyof Row & string, string>>,
): RowsInsert<Row> {
  const names = Object.keys(columns) as (keyof Row & string)[];
  const list = names.join(', ');
  const types = names.map((name) => `${name} ${columns[name]}`).join(', ');
  return {
    columns: names,
    sql: `insert into ${table} (${list}) select ${list} from jsonb_to_recordset($1::jsonb->'rows') as r(${types})`,
    // Wrapped in an object: both drivers send an object param as JSON, an array as a SQL array.
    params: (rows) => [{ rows }],
  };
}
