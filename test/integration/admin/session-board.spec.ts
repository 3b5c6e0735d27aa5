/**
 * The session board on MariaDB (it is used only there): the first sync of a process replaces whatever its
 * instance id left, later syncs write only the sessions that changed and remove the ones that closed.
 */
import { SessionBoard, type BoardSession } from '../../../src/admin/sessions/session-board';
import { createMysqlTestDatabase, useMigratedDatabase } from '../../support/databases';

const session = (n: number, changes: Partial<BoardSession> = {}): BoardSession => ({
  instanceId: 'board-a',
  connectionId: `c${n}`,
  terminalId: `TERM${String(n).padStart(4, '0')}`,
  dialect: 'ascii',
  remoteAddress: '127.0.0.1:40000',
  connectedAt: '2026-12-05T10:00:00.000Z',
  lastSeenAt: '2026-12-05T10:00:10.000Z',
  signedOn: false,
  ...changes,
});

describe('session board on MariaDB', () => {
  const database = useMigratedDatabase(createMysqlTestDatabase);

  const rows = async (): Promise<string[]> => {
    const found = await database.dataSource.query<Array<{ connection_id: string; terminal_id: string; seen: string; signed_on: number }>>(
      "SELECT connection_id, terminal_id, DATE_FORMAT(last_seen_at, '%H:%i:%s') AS seen, signed_on FROM terminal_sessions WHERE instance_id = ? ORDER BY connection_id",
      ['board-a'],
    );
    return found.map((r) => `${r.connection_id} ${r.terminal_id} ${r.seen} ${Number(r.signed_on)}`);
  };

  it('replaces what its instance id left at first, then writes only what changed', async () => {
    // A previous process of the same instance id died with a session on the board.
    await database.dataSource.query(
      "INSERT INTO terminal_sessions (instance_id, connection_id, terminal_id, dialect, remote_address, connected_at, last_seen_at, signed_on) VALUES ('board-a', 'old', 'TERMOLD1', 'ascii', 'x', NOW(3), NOW(3), 0)",
    );
    const board = new SessionBoard(database.uow, 'board-a');
    await board.sync([session(1), session(2), session(3)]);
    expect(await rows()).toEqual(['c1 TERM0001 10:00:10 0', 'c2 TERM0002 10:00:10 0', 'c3 TERM0003 10:00:10 0']);

    // A mark on the rows: it stays on every row the board has no reason to write again.
    await database.dataSource.query("UPDATE terminal_sessions SET last_seen_at = '2000-01-01 00:00:00' WHERE instance_id = 'board-a'");
    await board.sync([
      session(1, { lastSeenAt: '2026-12-05T10:00:50.000Z' }), // same minute: no change
      session(2, { signedOn: true, signedOnAt: '2026-12-05T10:00:20.000Z' }),
      session(4),
    ]);
    expect(await rows()).toEqual(['c1 TERM0001 00:00:00 0', 'c2 TERM0002 10:00:10 1', 'c4 TERM0004 10:00:10 0']);

    // A last message in a newer minute is a change; nothing else is written.
    await board.sync([
      session(1, { lastSeenAt: '2026-12-05T10:01:05.000Z' }),
      session(2, { signedOn: true, signedOnAt: '2026-12-05T10:00:20.000Z' }),
      session(4),
    ]);
    expect(await rows()).toEqual(['c1 TERM0001 10:01:05 0', 'c2 TERM0002 10:00:10 1', 'c4 TERM0004 10:00:10 0']);

    await board.stop();
    expect(await rows()).toEqual([]);
  });
});
