import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';

/**
 * Writes the embedded (sql.js) database to its file. sql.js keeps the database in memory, so this is
 * the moment a commit becomes durable. The bytes go to a temporary file that is renamed over the old
 * one, so a crash mid-write leaves the previous complete file, never a torn one. The temporary file is
 * fsynced before the rename (or a power cut could leave the new name on unwritten blocks), and the folder
 * after it (or the rename itself could be lost, bringing the old file back after the commit was answered).
 */
export async function saveSqliteFile(dataSource: DataSource): Promise<void> {
  const options = dataSource.options;
  if (options.type !== 'sqljs' || !options.location) return;
  const driver = dataSource.driver as unknown as { export(): Uint8Array };
  const temporary = `${options.location}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(driver.export());
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, options.location);
  const folder = await open(dirname(options.location), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
