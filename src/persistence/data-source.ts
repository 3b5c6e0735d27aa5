import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { saveSqliteFile } from './sqlite-file';

/** MySQL through mysql2 when configured; otherwise an embedded SQLite file through sql.js (no native build). */
export function dataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: false,
  } as const;
  if (database.kind === 'mysql') {
    // multipleStatements lets the hot-path SQL (src/persistence/sql) send a whole transaction in one round
    // trip; every statement in this codebase binds its values as parameters, never as SQL text.
    return {
      ...common,
      type: 'mysql',
      url: database.url,
      timezone: 'Z',
      dateStrings: false,
      multipleStatements: true,
      extra: { connectionLimit: database.poolSize },
    };
  }
  if (database.sqlitePath !== ':memory:') mkdirSync(dirname(database.sqlitePath), { recursive: true });
  // Saved by UnitOfWork after each commit (group commit), not by TypeORM's per-statement autoSave.
  return {
    ...common,
    type: 'sqljs',
    location: database.sqlitePath === ':memory:' ? undefined : database.sqlitePath,
    autoSave: false,
  };
}

/** Opens the database and brings its schema up to date with the migrations. */
export async function openDatabase(database: DatabaseConfig): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(database));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await saveSqliteFile(dataSource);
  return dataSource;
}
