import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/app-config';
import { openDatabase } from '../../../src/persistence/data-source';
import { openSqlSession } from '../../../src/persistence/sql';
import { UnitOfWork } from '../../../src/persistence/unit-of-work';
import { createMysqlTestDatabase, TestDatabase } from '../../support/databases';

// Not the server's default (MariaDB's includes NO_AUTO_CREATE_USER), so only a mode the switch set shows it.
const MODE = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

describe('MySQL session sql_mode (MariaDB)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createMysqlTestDatabase();
    dataSource = await openDatabase({ ...db.config, sqlMode: MODE });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('sets the configured sql_mode on every pooled connection, the hot-path SQL session’s included', async () => {
    const runners = Array.from({ length: 6 }, () => dataSource.createQueryRunner());
    const modes = await Promise.all(
      runners.map(async (runner): Promise<string> => {
        await runner.connect();
        const rows: Array<{ mode: string }> = await runner.query('SELECT @@SESSION.sql_mode AS mode');
        return rows[0].mode;
      }),
    );
    await Promise.all(runners.map((runner) => runner.release()));
    const session = openSqlSession(dataSource, new UnitOfWork(dataSource));
    const hotPath = await Promise.all(
      Array.from({ length: 6 }, () => session.select<{ mode: string }>({ sql: 'SELECT @@SESSION.sql_mode AS mode', params: [] })),
    );
    expect(new Set([...modes, ...hotPath.map(([row]) => row.mode)])).toEqual(new Set([MODE]));
  });

  it('keeps a value with backslashes and quotes one bound value', async () => {
    const crafted = "TERM\\' OR '1'='1";
    const [row] = await dataSource.query<Array<{ v: string }>>('SELECT ? AS v', [crafted]);
    expect(row.v).toBe(crafted);
  });

  it('refuses to open a database whose sessions run under NO_BACKSLASH_ESCAPES', async () => {
    await expect(openDatabase({ ...db.config, sqlMode: 'NO_BACKSLASH_ESCAPES' })).rejects.toThrow(
      /sql_mode "NO_BACKSLASH_ESCAPES": NO_BACKSLASH_ESCAPES breaks the client-side escaping/,
    );
  });

  it('refuses DATABASE_SQL_MODE with NO_BACKSLASH_ESCAPES at configuration', () => {
    expect(() => loadConfig({ DATABASE_SQL_MODE: 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES' })).toThrow(
      /DATABASE_SQL_MODE: NO_BACKSLASH_ESCAPES breaks/,
    );
  });
});
