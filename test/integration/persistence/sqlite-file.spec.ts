// eslint-disable-next-line @typescript-eslint/no-require-imports -- a star import is a copy (esModuleInterop): spies must sit on the module object the code under test calls
import fs = require('node:fs/promises');
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../../src/persistence/data-source';
import { saveSqliteFile } from '../../../src/persistence/sqlite-file';
import { createSqliteTestDatabase } from '../../support/databases';

/** What reached the disk and in which order: every open, fsync, close and rename the save made. */
function recordFileSystem(): { steps: string[]; restore: () => void } {
  const steps: string[] = [];
  const realOpen = fs.open;
  const openSpy = jest.spyOn(fs, 'open').mockImplementation(async (path, flags, mode) => {
    const handle = await realOpen(path, flags, mode);
    const name = String(path);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      await sync();
      steps.push(`fsync ${name}`);
    };
    return handle;
  });
  const realRename = fs.rename;
  const renameSpy = jest.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
    await realRename(from, to);
    steps.push(`rename ${String(from)} -> ${String(to)}`);
  });
  return {
    steps,
    restore: () => {
      openSpy.mockRestore();
      renameSpy.mockRestore();
    },
  };
}

describe('embedded SQLite file write', () => {
  let dataSource: DataSource;
  let path: string;

  beforeAll(async () => {
    const db = createSqliteTestDatabase();
    path = db.config.sqlitePath;
    dataSource = await openDatabase(db.config);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('fsyncs the file before the rename and its folder after it', async () => {
    await dataSource.query(`INSERT INTO refund_day_totals (merchant_id, day, amount_minor, refund_count) VALUES ('M1', '2026-01-01', 5, 1)`);
    const fsys = recordFileSystem();
    try {
      await saveSqliteFile(dataSource);
    } finally {
      fsys.restore();
    }
    expect(fsys.steps).toEqual([`fsync ${path}.tmp`, `rename ${path}.tmp -> ${path}`, `fsync ${dirname(path)}`]);
    const reopened = new DataSource({ type: 'sqljs', database: readFileSync(path) });
    await reopened.initialize();
    expect(await reopened.query(`SELECT amount_minor FROM refund_day_totals WHERE merchant_id = 'M1'`)).toEqual([{ amount_minor: 5 }]);
    await reopened.destroy();
  });
});
