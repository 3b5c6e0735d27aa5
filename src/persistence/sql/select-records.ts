import type { RecordTable, Row } from './record-table';
import type { SqlSession, SqlValue } from './sql-session';

/** `SELECT <every column> FROM <table> <rest>`, mapped to records. */
export async function selectRecords<T extends { id: string }>(
  session: SqlSession,
  table: RecordTable<T>,
  rest: string,
  ...params: SqlValue[]
): Promise<T[]> {
  const rows = await session.select<Row>(table.select(rest, ...params));
  return rows.map((row) => table.fromRow(row));
}

export async function selectRecord<T extends { id: string }>(
  session: SqlSession,
  table: RecordTable<T>,
  where: string,
  ...params: SqlValue[]
): Promise<T | undefined> {
  return (await selectRecords(session, table, `${where} LIMIT 1`, ...params))[0];
}
