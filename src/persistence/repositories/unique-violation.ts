import { UniqueKey } from '../../payments/domain/errors';

/**
 * Recognises a unique-key violation from MySQL (ER_DUP_ENTRY names the index) or SQLite
 * ("UNIQUE constraint failed: table.col, ...") and says which business key it was. Only the index
 * or column names are read, never the duplicate value itself.
 */
export function uniqueViolation(error: unknown): UniqueKey | undefined {
  const e = error as { code?: string; errno?: number; message?: string; driverError?: { message?: string } };
  const message = `${e.message ?? ''} ${e.driverError?.message ?? ''}`;
  const mysqlIndex = /for key '(?:[\w$]+\.)?([\w$]+)'/.exec(message)?.[1];
  const sqliteColumns = /UNIQUE constraint failed: ([\w., ]+)/i.exec(message)?.[1];
  const names = mysqlIndex ?? sqliteColumns;
  if (names === undefined || !(e.code === 'ER_DUP_ENTRY' || e.errno === 1062 || sqliteColumns))
    return undefined;
  if (/request_id/.test(names)) return 'request-id';
  if (/rrn/.test(names)) return 'rrn';
  return 'terminal-stan-datetime';
}
