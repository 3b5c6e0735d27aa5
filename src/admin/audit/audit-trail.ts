/**
 * The audit trail of admin writes: who (key name and role), what (action and target), the before and after
 * of what changed, why (the reason every write must give), when, and the request id. Rows are only ever
 * inserted; the table's triggers refuse UPDATE and DELETE (migration 1764400000000).
 */
import type { EntityManager } from 'typeorm';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { decodeCursor, pageOf, type Page } from '../http/paging';
import { isoTime, optionalText, rows, text, utcText, type Row } from '../http/sql';
import type { AdminActor, AdminRole } from '../keys/roles';

export interface AuditChange {
  action: string;
  targetType: string;
  targetId: string;
  before?: object;
  after?: object;
  /** 'ok', or why the write was refused. */
  outcome?: string;
}

export interface AuditEntryView {
  id: string;
  at: string;
  requestId: string;
  actor: string;
  role: AdminRole;
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  reason: string;
  outcome: string;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

// Belt and braces: whatever a caller passes, text under these names never reaches the table (objects
// under them are walked, so `macKey: {set, keyCheckValue}` stays readable and a raw key does not).
const SECRET_NAMES = /(secret|token|password|private|md5|^key$|^macKey$|^paymentCode$)/i;

export class AuditTrail {
  constructor(private readonly uow: UnitOfWork) {}

  /** Appends inside the caller's transaction, so the entry commits (or not) with the change it describes. */
  async append(manager: EntityManager, actor: AdminActor, change: AuditChange): Promise<void> {
    await manager.query(
      'INSERT INTO `admin_audit` (`at`, `request_id`, `actor`, `actor_key_id`, `role`, `action`, `target_type`, `target_id`, `before_json`, `after_json`, `reason`, `outcome`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        utcText(new Date()),
        actor.requestId.slice(0, 64),
        actor.name.slice(0, 64),
        actor.keyId ?? null,
        actor.role,
        change.action,
        change.targetType,
        change.targetId.slice(0, 64),
        change.before === undefined ? null : JSON.stringify(withoutSecrets(change.before)),
        change.after === undefined ? null : JSON.stringify(withoutSecrets(change.after)),
        actor.reason.slice(0, 500),
        (change.outcome ?? 'ok').slice(0, 255),
      ],
    );
  }

  /** Appends in a transaction of its own (for writes the engine committed, and for refusals). */
  record(actor: AdminActor, change: AuditChange): Promise<void> {
    return this.uow.run((m) => this.append(m, actor, change));
  }

  /** Newest first. */
  async list(filter: AuditFilter, limit: number, cursor: unknown): Promise<Page<AuditEntryView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (filter.actor) add('`actor` = ?', filter.actor);
    if (filter.action) add('`action` = ?', filter.action);
    if (filter.targetType) add('`target_type` = ?', filter.targetType);
    if (filter.targetId) add('`target_id` = ?', filter.targetId);
    if (filter.from) add('`at` >= ?', utcText(filter.from));
    if (filter.to) add('`at` < ?', utcText(filter.to));
    const after = decodeCursor(cursor, 1);
    if (after) add('`id` < ?', Number(after[0]));
    const sql = `SELECT * FROM \`admin_audit\`${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY \`id\` DESC LIMIT ${limit + 1}`;
    const found = await this.uow.read((m) => rows(m, sql, params));
    return pageOf(found, limit, toView, (r) => [text(r.id)]);
  }
}

function toView(r: Row): AuditEntryView {
  const before = optionalText(r.before_json);
  const after = optionalText(r.after_json);
  return {
    id: text(r.id),
    at: isoTime(r.at) ?? '',
    requestId: text(r.request_id),
    actor: text(r.actor),
    role: text(r.role) as AdminRole,
    action: text(r.action),
    targetType: text(r.target_type),
    targetId: text(r.target_id),
    ...(before !== undefined ? { before: JSON.parse(before) as unknown } : {}),
    ...(after !== undefined ? { after: JSON.parse(after) as unknown } : {}),
    reason: text(r.reason),
    outcome: text(r.outcome),
  };
}

export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, inner]) => [
      name,
      SECRET_NAMES.test(name) && (typeof inner !== 'object' || inner === null || Buffer.isBuffer(inner)) ? '[redacted]' : withoutSecrets(inner),
    ]),
  );
}
