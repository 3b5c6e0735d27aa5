/**
 * API keys: 256 random bits, shown once when made, stored only as their SHA-256 (a key this long needs no
 * slow hash: there is nothing to guess). Plain TypeScript so `npm run admin` uses it without Nest.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { AuditTrail } from '../audit/audit-trail';
import { decodeCursor, pageOf, type Page } from '../http/paging';
import { conflict, notFound } from '../http/problem';
import { count, isoTime, rows, text, utcText, type Row } from '../http/sql';
import type { AdminActor, AdminPrincipal, AdminRole } from './roles';

const KEY_PREFIX = 'swk_';
/** last_used_at is written at most this often per key, so reads do not turn into writes. */
const LAST_USED_EVERY_MS = 60_000;

export interface ApiKeyView {
  id: string;
  name: string;
  role: AdminRole;
  /** The key's first characters, enough to tell keys apart; never the key. */
  keyPrefix: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

export interface CreatedApiKey extends ApiKeyView {
  /** The key itself: shown in this answer only. */
  key: string;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class ApiKeyStore {
  private readonly lastUseWritten = new Map<string, number>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async create(name: string, role: AdminRole, actor: AdminActor): Promise<CreatedApiKey> {
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const view = await this.insert(name, role, key, actor.name, actor);
    return { ...view, key };
  }

  /** At start: the `bootstrap` admin key from ADMIN_BOOTSTRAP_KEY, unless an admin key exists. */
  async ensureBootstrap(key: string): Promise<'created' | 'present'> {
    if ((await this.activeAdmins()) > 0) return 'present';
    const system: AdminActor = { name: 'system', role: 'admin', requestId: 'startup', reason: 'ADMIN_BOOTSTRAP_KEY at start: no admin key existed' };
    await this.insert('bootstrap', 'admin', key, 'system', system);
    return 'created';
  }

  async list(limit: number, cursor: unknown): Promise<Page<ApiKeyView>> {
    const after = decodeCursor(cursor, 2);
    const found = await this.uow.read((m) =>
      after
        ? rows(m, `SELECT * FROM \`admin_api_keys\` WHERE \`created_at\` > ? OR (\`created_at\` = ? AND \`id\` > ?) ORDER BY \`created_at\`, \`id\` LIMIT ${limit + 1}`, [after[0], after[0], after[1]])
        : rows(m, `SELECT * FROM \`admin_api_keys\` ORDER BY \`created_at\`, \`id\` LIMIT ${limit + 1}`),
    );
    return pageOf(found, limit, toView, (r) => [utcText(new Date(isoTime(r.created_at)!)), text(r.id)]);
  }

  async revoke(id: string, actor: AdminActor): Promise<ApiKeyView> {
    return this.uow.run(async (m) => {
      const [row] = await rows(m, 'SELECT * FROM `admin_api_keys` WHERE `id` = ?', [id]);
      if (!row) throw notFound(`no API key ${id}`);
      const before = toView(row);
      if (before.revokedAt) throw conflict(`API key ${id} is revoked already`);
      if (before.role === 'admin' && (await this.activeAdmins(m)) <= 1)
        throw conflict('the last admin key cannot be revoked: create another admin key first');
      const at = utcText(new Date());
      await m.query('UPDATE `admin_api_keys` SET `revoked_at` = ? WHERE `id` = ?', [at, id]);
      const after = { ...before, revokedAt: new Date(`${at.replace(' ', 'T')}Z`).toISOString() };
      await this.audit.append(m, actor, { action: 'api-key.revoke', targetType: 'api-key', targetId: id, before, after });
      return after;
    });
  }

  /** The principal of a presented key, or undefined for an unknown or revoked one. */
  async authenticate(key: string): Promise<AdminPrincipal | undefined> {
    if (!key.startsWith(KEY_PREFIX) && key.length < 32) return undefined;
    const [row] = await this.uow.read((m) =>
      rows(m, 'SELECT `id`, `name`, `role`, `revoked_at` FROM `admin_api_keys` WHERE `key_hash` = ?', [hashKey(key)]),
    );
    if (!row || row.revoked_at !== null) return undefined;
    const id = text(row.id);
    this.noteUse(id);
    return { keyId: id, name: text(row.name), role: text(row.role) as AdminRole };
  }

  private async insert(name: string, role: AdminRole, key: string, createdBy: string, actor: AdminActor): Promise<ApiKeyView> {
    const id = randomUUID();
    const now = new Date();
    const view: ApiKeyView = { id, name, role, keyPrefix: key.slice(0, 12), createdAt: now.toISOString(), createdBy };
    await this.uow.run(async (m) => {
      await m.query(
        'INSERT INTO `admin_api_keys` (`id`, `name`, `role`, `key_hash`, `key_prefix`, `created_at`, `created_by`) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, name, role, hashKey(key), view.keyPrefix, utcText(now), createdBy],
      );
      await this.audit.append(m, actor, { action: 'api-key.create', targetType: 'api-key', targetId: id, after: view });
    });
    return view;
  }

  private async activeAdmins(manager?: Parameters<Parameters<UnitOfWork['read']>[0]>[0]): Promise<number> {
    const sql = "SELECT COUNT(*) AS `n` FROM `admin_api_keys` WHERE `role` = 'admin' AND `revoked_at` IS NULL";
    const [row] = manager ? await rows(manager, sql) : await this.uow.read((m) => rows(m, sql));
    return count(row?.n);
  }

  private noteUse(id: string): void {
    const now = Date.now();
    if (now - (this.lastUseWritten.get(id) ?? 0) < LAST_USED_EVERY_MS) return;
    this.lastUseWritten.set(id, now);
    // Best effort, off the request's path: a lost last-use time costs nothing.
    this.uow
      .run((m) => m.query('UPDATE `admin_api_keys` SET `last_used_at` = ? WHERE `id` = ?', [utcText(new Date(now)), id]))
      .catch(() => this.lastUseWritten.delete(id));
  }
}

function toView(r: Row): ApiKeyView {
  const lastUsedAt = isoTime(r.last_used_at);
  const revokedAt = isoTime(r.revoked_at);
  return {
    id: text(r.id),
    name: text(r.name),
    role: text(r.role) as AdminRole,
    keyPrefix: text(r.key_prefix),
    createdAt: isoTime(r.created_at) ?? '',
    createdBy: text(r.created_by),
    ...(lastUsedAt ? { lastUsedAt } : {}),
    ...(revokedAt ? { revokedAt } : {}),
  };
}
