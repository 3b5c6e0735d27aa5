import type { Logger } from '../logging/logger';
import { SourceNetworks } from '../terminal/source-networks';
import { TerminalDirectory, TerminalRecord } from '../terminal/terminal-directory.port';
import { TerminalEntity } from './entities';
import { SecretBox, sealedIn } from './secret-box';
import { UnitOfWork } from './unit-of-work';

const CACHE_TTL_MS = 30_000;
// Unknown ids come from the network: remembered only briefly, and the whole cache is bounded.
const MISS_TTL_MS = 2_000;
const MAX_CACHED = 50_000;

export interface TerminalDirectoryOptions {
  logger?: Pick<Logger, 'error'>;
  /**
   * The switch's own deadline. A terminal whose merchant timeout is not below it would still wait for an
   * answer after the switch cancelled the payment, so such a row is refused (58) until ops fix it.
   */
  gatewayTimeoutMs?: number;
}

/**
 * Every ISO message looks its terminal up, so records are cached briefly; `forget` drops one at once
 * when ops block a terminal or change its key.
 */
export class TypeOrmTerminalDirectory implements TerminalDirectory {
  private readonly cache = new Map<string, { record: TerminalRecord | undefined; expiresAt: number }>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly secrets: SecretBox,
    private readonly options: TerminalDirectoryOptions = {},
  ) {}

  async find(terminalId: string): Promise<TerminalRecord | undefined> {
    const cached = this.cache.get(terminalId);
    if (cached && cached.expiresAt > Date.now()) return cached.record;
    const row = await this.uow.read((m) => m.findOneBy(TerminalEntity, { terminalId }));
    const record = row ? this.toRecord(row) : undefined;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(terminalId, { record, expiresAt: Date.now() + (record ? CACHE_TTL_MS : MISS_TTL_MS) });
    return record;
  }

  forget(terminalId?: string): void {
    if (terminalId === undefined) this.cache.clear();
    else this.cache.delete(terminalId);
  }

  private toRecord(row: TerminalEntity): TerminalRecord {
    const record: TerminalRecord = {
      terminalId: row.terminalId,
      merchantId: row.merchantId,
      dialect: row.dialect,
      status: row.status,
      merchantTimeoutMs: row.merchantTimeoutMs,
      macKey: row.macKeySealed ? this.secrets.open(row.macKeySealed, sealedIn.terminalMacKey(row.terminalId)) : undefined,
    };
    const gatewayTimeoutMs = this.options.gatewayTimeoutMs;
    if (gatewayTimeoutMs !== undefined && !(row.merchantTimeoutMs > 0 && row.merchantTimeoutMs < gatewayTimeoutMs)) {
      this.options.logger?.error(
        { terminalId: row.terminalId, merchantTimeoutMs: row.merchantTimeoutMs, gatewayTimeoutMs },
        'terminal refused: its merchant timeout is not below the gateway timeout',
      );
      return { ...record, status: 'suspended' };
    }
    if (row.allowedNetworks === null) return record;
    try {
      return { ...record, allowedNetworks: SourceNetworks.parse(row.allowedNetworks) };
    } catch (err) {
      // A profile that cannot be read must not widen into "any source": the terminal is refused until fixed.
      this.options.logger?.error(
        { terminalId: row.terminalId, reason: err instanceof Error ? err.message : String(err) },
        'terminal refused: its allowed_networks do not parse',
      );
      return { ...record, status: 'suspended' };
    }
  }
}
