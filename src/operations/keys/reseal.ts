/**
 * Rotating DATA_ENCRYPTION_KEY: every sealed column (by convention named `*_sealed`, found in the entity
 * metadata, so tables added later are covered) is opened with the old key and sealed with the new one, in
 * one transaction, in the context it was sealed in (table, column and the row's key). A value that already opens with the new key is left as it is, so a rerun is harmless;
 * a value neither key opens stops everything and names its table, column and row (never its content).
 */
import type { DataSource } from 'typeorm';
import { sealedContext, type SecretBox } from '../../persistence/secret-box';
import type { UnitOfWork } from '../../persistence/unit-of-work';

export interface ResealCount {
  table: string;
  column: string;
  resealed: number;
  alreadyNew: number;
}

export async function resealAll(
  dataSource: DataSource,
  uow: UnitOfWork,
  oldBox: SecretBox,
  newBox: SecretBox,
): Promise<ResealCount[]> {
  const targets = dataSource.entityMetadatas.flatMap((meta) => {
    const primary = meta.primaryColumns.map((c) => c.databaseName);
    return meta.columns
      .filter((c) => c.databaseName.endsWith('_sealed'))
      .map((c) => ({ table: meta.tableName, column: c.databaseName, primary }));
  });
  return uow.run(async (m) => {
    const counts: ResealCount[] = [];
    for (const { table, column, primary } of targets) {
      const count: ResealCount = { table, column, resealed: 0, alreadyNew: 0 };
      const rows = await m.query<Array<Record<string, string | null>>>(
        `SELECT ${[...primary, column].join(', ')} FROM ${table} WHERE ${column} IS NOT NULL`,
      );
      for (const row of rows) {
        const sealed = row[column] as string;
        const context = sealedContext(table, column, primary.map((p) => String(row[p])).join('|'));
        if (opens(newBox, sealed, context)) {
          count.alreadyNew += 1;
          continue;
        }
        let plain: Buffer;
        try {
          plain = oldBox.open(sealed, context);
        } catch {
          const key = primary.map((p) => `${p}=${String(row[p])}`).join(', ');
          throw new Error(
            `${table}.${column} (${key}) opens with neither the old nor the new key; nothing was changed`,
          );
        }
        await m.query(
          `UPDATE ${table} SET ${column} = ? WHERE ${primary.map((p) => `${p} = ?`).join(' AND ')}`,
          [newBox.seal(plain, context), ...primary.map((p) => row[p])],
        );
        count.resealed += 1;
      }
      counts.push(count);
    }
    return counts;
  });
}

function opens(box: SecretBox, sealed: string, context: string): boolean {
  try {
    box.open(sealed, context);
    return true;
  } catch {
    return false;
  }
}
