/**
 * The terminal sessions of every instance, in the `terminal_sessions` table: each instance writes its own
 * rows and reads the others'. Nothing is written per message: every few seconds the instance compares its
 * sessions with what it last wrote and, only when something changed (a link opened or closed, a sign-on
 * or sign-off, a last message more than a minute newer), replaces its rows in one transaction. Rows of
 * an instance whose lease lapsed are not shown and are removed.
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

/** A last message newer by less than this does not count as a change (last seen is coarse on other instances). */
const LAST_SEEN_GRAIN_MS = 60_000;
const INSERT_CHUNK = 200;
const COLUMNS = '`instance_id`, `connection_id`, `terminal_id`, `merchant_id`, `dialect`, `remote_address`, `connected_at`, `last_seen_at`, `signed_on`, `signed_on_at`';

export class SessionBoard {
  private timer: NodeJS.Timeout | undefined;
  private written = '';
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly uow: UnitOfWork,
    readonly instanceId: string,
    private readonly intervalMs = 5_000,
  ) {}

  start(snapshot: () => BoardSession[], onError: (err: unknown) => void): void {
    this.timer = setInterval(() => {
      this.syncing = this.sync(snapshot()).catch(onError);
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Writes this instance's sessions when they differ from what was last written. */
  async sync(sessions: BoardSession[]): Promise<void> {
    const fingerprint = JSON.stringify(
      sessions.map((s) => [s.connectionId, s.terminalId, s.signedOn, s.signedOnAt, Math.floor(Date.parse(s.lastSeenAt) / LAST_SEEN_GRAIN_MS)]),
    );
    if (fingerprint === this.written) return;
    await this.uow.run(async (m) => {
      await m.query('DELETE FROM `terminal_sessions` WHERE `instance_id` = ?', [this.instanceId]);
      for (let i = 0; i < sessions.length; i += INSERT_CHUNK) {
        const chunk = sessions.slice(i, i + INSERT_CHUNK);
        await m.query(
          `INSERT INTO \`terminal_sessions\` (${COLUMNS}) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
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
    this.written = fingerprint;
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
    this.written = '';
  }
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
