/**
 * The terminal sessions of every instance, in the `terminal_sessions` table: each instance writes its own
 * rows and reads the others'. Nothing is written per message: every few seconds the instance compares its
 * sessions with what it last wrote and writes only the rows that changed (a link opened or closed, a
 * sign-on or sign-off, a last message in a newer minute), in one transaction. Rows of an instance whose
 * lease lapsed are not shown and are removed.
 *
 * Only the changes, because an instance holds thousands of mostly idle terminals: comparing and rewriting
 * all of them every few seconds blocked its event loop for about 25 ms at 10,000 sessions (bench:sessions).
 */
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { isoTime, optionalText, rows, text, utcText, type Row } from '../http/sql';

export interface BoardSession {
  instanceId: string;
  connectionId: string;
  terminalId: string;
  merchantId?: string;
  dialect: string;
  remoteAddress: string;
  connectedAt: string;
  lastSeenAt: string;
  signedOn: boolean;
  signedOnAt?: string;
}

const INSERT_CHUNK = 200;
/** Sessions compared per event-loop turn, so that thousands of them never hold up a terminal's message. */
const SESSIONS_PER_TURN = 1_000;
const UPSERT =
  'ON DUPLICATE KEY UPDATE `terminal_id` = VALUES(`terminal_id`), `merchant_id` = VALUES(`merchant_id`), `last_seen_at` = VALUES(`last_seen_at`), `signed_on` = VALUES(`signed_on`), `signed_on_at` = VALUES(`signed_on_at`)';
const COLUMNS = '`instance_id`, `connection_id`, `terminal_id`, `merchant_id`, `dialect`, `remote_address`, `connected_at`, `last_seen_at`, `signed_on`, `signed_on_at`';

export class SessionBoard {
  private timer: NodeJS.Timeout | undefined;
  /** What the table holds for this instance: connection id -> the row's change key. Undefined: not known yet. */
  private written: Map<string, string> | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly uow: UnitOfWork,
    readonly instanceId: string,
    private readonly intervalMs = 5_000,
  ) {}

  start(snapshot: () => Promise<BoardSession[]>, onError: (err: unknown) => void): void {
    this.timer = setInterval(() => {
      // A tick still at work (a slow database) is neither overtaken nor queued behind: the next one catches up.
      if (this.busy) return;
      this.busy = true;
      this.syncing = snapshot()
        .then((sessions) => this.sync(sessions))
        .catch(onError)
        .finally(() => (this.busy = false));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Writes the rows of this instance's sessions that differ from what was last written. */
  async sync(sessions: BoardSession[]): Promise<void> {
    const before = this.written;
    const keys = new Map<string, string>();
    const changed: BoardSession[] = [];
    for (let i = 0; i < sessions.length; i++) {
      if (i > 0 && i % SESSIONS_PER_TURN === 0) await nextTurn();
      const s = sessions[i];
      const key = changeKey(s);
      keys.set(s.connectionId, key);
      if (before?.get(s.connectionId) !== key) changed.push(s);
    }
    const gone = before === undefined ? [] : [...before.keys()].filter((id) => !keys.has(id));
    if (before !== undefined && changed.length === 0 && gone.length === 0) return;
    await this.uow.run(async (m) => {
      // Not known yet (this process just started): rows a previous process of this instance id left go first.
      if (before === undefined) await m.query('DELETE FROM `terminal_sessions` WHERE `instance_id` = ?', [this.instanceId]);
      for (let i = 0; i < gone.length; i += INSERT_CHUNK) {
        const chunk = gone.slice(i, i + INSERT_CHUNK);
        await m.query(
          `DELETE FROM \`terminal_sessions\` WHERE \`instance_id\` = ? AND \`connection_id\` IN (${chunk.map(() => '?').join(', ')})`,
          [this.instanceId, ...chunk],
        );
      }
      for (let i = 0; i < changed.length; i += INSERT_CHUNK) {
        const chunk = changed.slice(i, i + INSERT_CHUNK);
        await m.query(
          `INSERT INTO \`terminal_sessions\` (${COLUMNS}) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ${UPSERT}`,
          chunk.flatMap((s) => [
            this.instanceId,
            s.connectionId,
            s.terminalId,
            s.merchantId ?? null,
            s.dialect,
            s.remoteAddress.slice(0, 64),
            utcText(new Date(s.connectedAt)),
            utcText(new Date(s.lastSeenAt)),
            s.signedOn ? 1 : 0,
            s.signedOnAt ? utcText(new Date(s.signedOnAt)) : null,
          ]),
        );
      }
      await m.query(
        'DELETE FROM `terminal_sessions` WHERE `instance_id` <> ? AND `instance_id` NOT IN (SELECT `instance_id` FROM `instance_leases` WHERE `expires_at` > ?)',
        [this.instanceId, utcText(new Date())],
      );
    });
    this.written = keys;
  }

  /** Sessions of the other live instances, as they last wrote them. */
  async others(): Promise<BoardSession[]> {
    const found = await this.uow.read((m) =>
      rows(
        m,
        `SELECT ${COLUMNS} FROM \`terminal_sessions\` WHERE \`instance_id\` <> ? AND \`instance_id\` IN (SELECT \`instance_id\` FROM \`instance_leases\` WHERE \`expires_at\` > ?)`,
        [this.instanceId, utcText(new Date())],
      ),
    );
    return found.map(toSession);
  }

  /** Removes this instance's rows (a clean stop). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.syncing;
    await this.uow.run((m) => m.query('DELETE FROM `terminal_sessions` WHERE `instance_id` = ?', [this.instanceId]));
    this.written = undefined;
  }
}

/**
 * What a row must be rewritten for. The last message counts by the minute (ISO text up to the minute):
 * other instances show it coarsely, and a busy terminal must not cost a write every few seconds.
 */
function changeKey(s: BoardSession): string {
  return `${s.terminalId}|${s.merchantId ?? ''}|${s.signedOn ? (s.signedOnAt ?? '') : '-'}|${s.lastSeenAt.slice(0, 16)}`;
}

/** Lets the event loop serve what waits (terminal messages) before a long piece of work goes on. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function toSession(r: Row): BoardSession {
  const signedOnAt = isoTime(r.signed_on_at);
  const merchantId = optionalText(r.merchant_id);
  return {
    instanceId: text(r.instance_id),
    connectionId: text(r.connection_id),
    terminalId: text(r.terminal_id),
    ...(merchantId !== undefined ? { merchantId } : {}),
    dialect: text(r.dialect),
    remoteAddress: text(r.remote_address),
    connectedAt: isoTime(r.connected_at) ?? '',
    lastSeenAt: isoTime(r.last_seen_at) ?? '',
    signedOn: Number(r.signed_on) === 1,
    ...(signedOnAt !== undefined ? { signedOnAt } : {}),
  };
}
