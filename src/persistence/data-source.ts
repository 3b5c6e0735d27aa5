import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';
import { ConfigError } from '../config/config-error';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { DEFAULT_SQL_MODE, sqlModeProblem } from '../config/security-config';
import { mysqlDriverWithSessionMode } from './mysql-session-mode';
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
      // Nothing here prepares statements (TypeORM and src/persistence/sql send text queries), yet mysql2 gives
      // each pooled connection a 16,000-slot statement cache up front: 33 MB of a 103 MB heap at 64 connections.
      extra: { connectionLimit: database.poolSize, maxPreparedStatements: 16 },
      connectorPackage: 'mysql2',
      driver: mysqlDriverWithSessionMode(database.sqlMode ?? DEFAULT_SQL_MODE),
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
  if (database.kind === 'mysql') await refuseUnsafeSessionMode(dataSource);
  await dataSource.runMigrations({ transaction: 'each' });
  await saveSqliteFile(dataSource);
  return dataSource;
}

/** The mode the pool's connections really run under: a server or proxy that overrides it stops the start. */
async function refuseUnsafeSessionMode(dataSource: DataSource): Promise<void> {
  const [row] = await dataSource.query<Array<{ mode: string }>>('SELECT @@SESSION.sql_mode AS mode');
  const problem = sqlModeProblem(row?.mode ?? '');
  if (problem === undefined) return;
  await dataSource.destroy();
  throw new ConfigError([`the MySQL session runs with sql_mode "${row?.mode}": ${problem}`]);
}
