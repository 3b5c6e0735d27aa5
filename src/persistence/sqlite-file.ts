import { rename, writeFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';

/**
 * Writes the embedded (sql.js) database to its file. sql.js keeps the database in memory, so this is
 * the moment a commit becomes durable. The bytes go to a temporary file that is renamed over the old
 * one, so a crash mid-write leaves the previous complete file, never a torn one.
 */
export async function saveSqliteFile(dataSource: DataSource): Promise<void> {
  const options = dataSource.options;
  if (options.type !== 'sqljs' || !options.location) return;
  const driver = dataSource.driver as unknown as { export(): Uint8Array };
  const temporary = `${options.location}.tmp`;
  await writeFile(temporary, driver.export());
  await rename(temporary, options.location);
}
