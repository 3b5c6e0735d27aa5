/**
 * Terminals: merchant, dialect, status, merchant timeout and security profile: the allowed source networks
 * and the MAC key, which is write-only (sealed; reads show its key check value). Every change drops the terminal from the directory's cache, so a
 * suspended terminal gets 58 from its very next message and a new key applies at once.
 */
import type { DialectName } from '@switch/iso8583';
import { MerchantEntity, PaymentEntity, RefundEntity, TerminalEntity } from '../../persistence/entities';
import { sealedIn, type SecretBox } from '../../persistence/secret-box';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { AuditTrail } from '../audit/audit-trail';
import { conflict, unprocessable } from '../http/problem';
import type { AdminActor } from '../keys/roles';
import { isVirtualApiTerminalId } from '../../payments/domain/result-channel';
import { SourceNetworks } from '../../terminal/source-networks';
import { CatalogWrites } from './catalog-writes';
import { keyCheckValue } from './key-ids';
import type { EntityManager } from 'typeorm';

export type TerminalStatus = TerminalEntity['status'];

export interface TerminalFields {
  merchantId?: string;
  dialect?: DialectName;
  status?: TerminalStatus;
  merchantTimeoutMs?: number;
  /** Comma-separated CIDRs or addresses the terminal may connect from; null: any (then it needs a MAC key in production). */
  allowedNetworks?: string | null;
}

export interface NewTerminal extends TerminalFields {
  terminalId: string;
  merchantId: string;
  dialect: DialectName;
}

/** Drops cached terminal records (TypeOrmTerminalDirectory.forget). */
export interface ForgetsTerminals {
  forget?(terminalId?: string): void;
}

export function terminalView(row: TerminalEntity, secrets: SecretBox) {
  return {
    terminalId: row.terminalId,
    merchantId: row.merchantId,
    dialect: row.dialect,
    status: row.status,
    merchantTimeoutMs: row.merchantTimeoutMs,
    allowedNetworks: row.allowedNetworks,
    macKey: row.macKeySealed
      ? {
          set: true,
          keyCheckValue: keyCheckValue(
            secrets.open(row.macKeySealed, sealedIn.terminalMacKey(row.terminalId)),
          ),
        }
      : { set: false },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

export interface TerminalRules {
  /** Seed 004: every merchant timeout must be below the gateway timeout. */
  gatewayTimeoutMs: number;
  /** For a terminal created without one. */
  defaultMerchantTimeoutMs: number;
}

export class Terminals {
  readonly rows: CatalogWrites<TerminalEntity, ReturnType<typeof terminalView>>;

  constructor(
    uow: UnitOfWork,
    audit: AuditTrail,
    private readonly secrets: SecretBox,
    private readonly directory: ForgetsTerminals,
    private readonly rules: TerminalRules,
  ) {
    this.rows = new CatalogWrites(uow, audit, {
      entity: TerminalEntity,
      key: 'terminalId',
      column: 'terminal_id',
      kind: 'terminal',
      view: (row) => terminalView(row, secrets),
    });
  }

  async create(fields: NewTerminal, actor: AdminActor) {
    const merchantTimeoutMs = this.checkTimeout(
      fields.merchantTimeoutMs ?? this.rules.defaultMerchantTimeoutMs,
    );
    const allowedNetworks = checkNetworks(fields.allowedNetworks ?? null);
    // The engine tells REST payments from a terminal's by this form (payments/domain/result-channel.ts).
    if (isVirtualApiTerminalId(fields.terminalId)) throw unprocessable(`terminal ids like ${fields.terminalId} (API and five letters or digits) belong to API clients`);
    const now = new Date();
    const view = await this.rows.insert(fields.terminalId, 'terminal.create', actor, async (m) => {
      if (await m.existsBy(TerminalEntity, { terminalId: fields.terminalId }))
        throw conflict(`terminal ${fields.terminalId} exists`);
      await requireMerchant(m, fields.merchantId);
      const row = m.create(TerminalEntity, {
        terminalId: fields.terminalId,
        merchantId: fields.merchantId,
        dialect: fields.dialect,
        status: fields.status ?? 'active',
        merchantTimeoutMs,
        allowedNetworks,
        macKeySealed: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      await m.insert(TerminalEntity, row);
      return row;
    });
    this.directory.forget?.(fields.terminalId);
    return view;
  }

  async update(terminalId: string, fields: TerminalFields, actor: AdminActor) {
    if (fields.merchantTimeoutMs !== undefined) this.checkTimeout(fields.merchantTimeoutMs);
    if (fields.allowedNetworks !== undefined)
      fields = { ...fields, allowedNetworks: checkNetworks(fields.allowedNetworks) };
    // undefined: not given; null (allowed networks): cleared.
    const changes = Object.fromEntries(
      Object.entries(fields).filter(([, v]) => v !== undefined),
    ) as TerminalFields;
    return this.change(terminalId, 'terminal.update', actor, async (m) => {
      if (changes.merchantId !== undefined) await requireMerchant(m, changes.merchantId);
      return changes;
    });
  }

  /** 16 bytes as 32 hex characters (a double-length DES key), or null to stop MACing. */
  async putMacKey(terminalId: string, macKeyHex: string | null, actor: AdminActor) {
    const macKeySealed =
      macKeyHex === null
        ? null
        : this.secrets.seal(Buffer.from(macKeyHex, 'hex'), sealedIn.terminalMacKey(terminalId));
    return this.change(terminalId, 'terminal.mac-key', actor, async () => ({ macKeySealed }));
  }

  async remove(terminalId: string, actor: AdminActor): Promise<void> {
    await this.rows.write(terminalId, 'terminal.delete', actor, async (m) => {
      if (
        (await m.existsBy(PaymentEntity, { terminalId })) ||
        (await m.existsBy(RefundEntity, { terminalId }))
      )
        throw conflict('the terminal has transactions on record: suspend it instead');
      await m.delete(TerminalEntity, { terminalId });
      return undefined;
    });
    this.directory.forget?.(terminalId);
  }

  private async change(
    terminalId: string,
    action: string,
    actor: AdminActor,
    changesOf: (m: EntityManager) => Promise<Partial<TerminalEntity>>,
  ) {
    const view = await this.rows.write(terminalId, action, actor, async (m, row) => {
      const changes = { ...(await changesOf(m)), updatedAt: new Date(), version: row.version + 1 };
      await m.update(TerminalEntity, { terminalId }, changes);
      return { ...row, ...changes };
    });
    this.directory.forget?.(terminalId);
    return view;
  }

  private checkTimeout(merchantTimeoutMs: number): number {
    if (merchantTimeoutMs >= this.rules.gatewayTimeoutMs)
      throw unprocessable(
        `merchantTimeoutMs (${merchantTimeoutMs}) must be below the gateway timeout (GATEWAY_TIMEOUT_MS = ${this.rules.gatewayTimeoutMs}): otherwise the switch would cancel payments the terminal still waits for`,
      );
    return merchantTimeoutMs;
  }
}

async function requireMerchant(m: EntityManager, merchantId: string): Promise<void> {
  if (!(await m.existsBy(MerchantEntity, { merchantId }))) throw unprocessable(`no merchant ${merchantId}`);
}

/** An allow-list that does not parse would refuse the terminal at its next message: refused here instead (422). */
function checkNetworks(text: string | null): string | null {
  if (text === null || text.trim() === '') return null;
  try {
    SourceNetworks.parse(text);
  } catch (err) {
    throw unprocessable(`allowedNetworks: ${err instanceof Error ? err.message : String(err)}`);
  }
  return text.trim();
}
