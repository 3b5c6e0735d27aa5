/**
 * Merchant API clients (table merchant_api_clients): a client id, a secret shown once and stored sealed
 * (bound to its row), and the virtual terminal its payments carry through the engine: the engine keys a
 * purchase by terminal and STAN, and a REST client stands where a terminal would.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { SecretBox } from '../../persistence/secret-box';
import { sealedContext } from '../../persistence/secret-box';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { isoTime, optionalText, rows, text, utcText, type Row } from '../../admin/http/sql';
import { VIRTUAL_API_TERMINAL_PREFIX } from '../../payments/domain/result-channel';

export interface ApiClientView {
  id: string;
  clientId: string;
  merchantId: string;
  name: string;
  terminalId: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

/** What a signed request is checked against and acts as. */
export interface ApiClient {
  clientId: string;
  merchantId: string;
  terminalId: string;
  secret: string;
  revoked: boolean;
}

const TERMINAL_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const TERMINAL_DRAWS = 5;

export const sealedClientSecret = (clientId: string) => sealedContext('merchant_api_clients', 'secret_sealed', clientId);

export class ApiClientStore {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly secrets: SecretBox,
  ) {}

  /** Inserts a client inside the caller's transaction; undefined when the merchant is unknown. */
  async create(m: EntityManager, merchantId: string, name: string, createdBy: string): Promise<{ view: ApiClientView; secret: string } | undefined> {
    const [merchant] = await rows(m, 'SELECT `merchant_id` FROM `merchants` WHERE `merchant_id` = ?', [merchantId]);
    if (!merchant) return undefined;
    const clientId = `mc_${randomBytes(12).toString('hex')}`;
    const secret = `sk_${randomBytes(32).toString('base64url')}`;
    const terminalId = await this.freeTerminalId(m);
    await m.query(
      'INSERT INTO `merchant_api_clients` (`client_id`, `merchant_id`, `name`, `secret_sealed`, `terminal_id`, `created_by`, `created_at`) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [clientId, merchantId, name, this.secrets.seal(secret, sealedClientSecret(clientId)), terminalId, createdBy.slice(0, 64), utcText(new Date())],
    );
    const [row] = await rows(m, 'SELECT * FROM `merchant_api_clients` WHERE `client_id` = ?', [clientId]);
    return { view: toView(row), secret };
  }

  async list(merchantId: string, window: { limit: number; beforeId?: number }): Promise<ApiClientView[]> {
    const params: unknown[] = [merchantId];
    let where = '`merchant_id` = ?';
    if (window.beforeId !== undefined) {
      where += ' AND `id` < ?';
      params.push(window.beforeId);
    }
    const found = await this.uow.read((m) => rows(m, `SELECT * FROM \`merchant_api_clients\` WHERE ${where} ORDER BY \`id\` DESC LIMIT ${window.limit}`, params));
    return found.map(toView);
  }

  async find(m: EntityManager, merchantId: string, clientId: string): Promise<ApiClientView | undefined> {
    const [row] = await rows(m, 'SELECT * FROM `merchant_api_clients` WHERE `merchant_id` = ? AND `client_id` = ?', [merchantId, clientId]);
    return row ? toView(row) : undefined;
  }

  async revoke(m: EntityManager, clientId: string): Promise<void> {
    await m.query('UPDATE `merchant_api_clients` SET `revoked_at` = ? WHERE `client_id` = ? AND `revoked_at` IS NULL', [utcText(new Date()), clientId]);
  }

  /** The client a request names, with its secret opened; revoked ones too (the caller refuses them). */
  async byClientId(clientId: string): Promise<ApiClient | undefined> {
    const [row] = await this.uow.read((m) => rows(m, 'SELECT * FROM `merchant_api_clients` WHERE `client_id` = ?', [clientId]));
    if (!row) return undefined;
    return {
      clientId: text(row.client_id),
      merchantId: text(row.merchant_id),
      terminalId: text(row.terminal_id),
      secret: this.secrets.openText(text(row.secret_sealed), sealedClientSecret(clientId)),
      revoked: row.revoked_at !== null && row.revoked_at !== undefined,
    };
  }

  /** 'API' and five random characters, not used by any terminal or client yet. */
  private async freeTerminalId(m: EntityManager): Promise<string> {
    for (let draw = 0; draw < TERMINAL_DRAWS; draw++) {
      let id = VIRTUAL_API_TERMINAL_PREFIX;
      for (let i = 0; i < 5; i++) id += TERMINAL_ALPHABET[randomInt(TERMINAL_ALPHABET.length)];
      const [taken] = await rows(
        m,
        'SELECT 1 AS taken FROM `terminals` WHERE `terminal_id` = ? UNION ALL SELECT 1 AS taken FROM `merchant_api_clients` WHERE `terminal_id` = ?',
        [id, id],
      );
      if (!taken) return id;
    }
    throw new Error('no free virtual terminal id could be drawn');
  }
}

function toView(r: Row): ApiClientView {
  return {
    id: text(r.id),
    clientId: text(r.client_id),
    merchantId: text(r.merchant_id),
    name: text(r.name),
    terminalId: text(r.terminal_id),
    createdBy: text(r.created_by),
    createdAt: isoTime(r.created_at) ?? '',
    revokedAt: optionalText(r.revoked_at) === undefined ? null : isoTime(r.revoked_at)!,
  };
}
