import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { DatabaseConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/persistence/data-source';
import { UnitOfWork } from '../../src/persistence/unit-of-work';

const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** A fresh MariaDB database per test file, so suites never see each other's rows. */
export async function createMysqlTestDatabase(): Promise<TestDatabase> {
  const name = `t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection(MYSQL_ADMIN_URL);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  const url = MYSQL_ADMIN_URL.replace(/\/[^/?]+(\?.*)?$/, `/${name}`);
  return {
    config: { kind: 'mysql', url, poolSize: 20, sqlitePath: '' },
    drop: async () => {
      const conn = await createConnection(MYSQL_ADMIN_URL);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

/** An embedded SQLite file in a temporary folder. */
export function createSqliteTestDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'switch-db-'));
  return {
    config: { kind: 'sqlite', poolSize: 1, sqlitePath: join(dir, 'switch.sqlite') },
    drop: async () => undefined,
  };
}

export const DATABASE_KINDS = [
  ['MariaDB', createMysqlTestDatabase],
  ['embedded SQLite', async () => createSqliteTestDatabase()],
] as const;

/**
 * A migrated database for one suite: created and opened in beforeAll, closed and dropped in afterAll.
 * Read `dataSource` and `uow` inside tests (they are set once beforeAll ran).
 */
export function useMigratedDatabase(create: () => Promise<TestDatabase>): {
  readonly dataSource: DataSource;
  readonly uow: UnitOfWork;
} {
  const state: { db?: TestDatabase; dataSource?: DataSource; uow?: UnitOfWork } = {};
  beforeAll(async () => {
    state.db = await create();
    state.dataSource = await openDatabase(state.db.config);
    state.uow = new UnitOfWork(state.dataSource);
  });
  afterAll(async () => {
    await state.dataSource?.destroy();
    await state.db?.drop();
  });
  return {
    get dataSource() {
      return state.dataSource!;
    },
    get uow() {
      return state.uow!;
    },
  };
}
