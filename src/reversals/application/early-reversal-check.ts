/** The payments engine's EarlyReversals port: binds a stored early reversal to the purchase it names. */
import type { Clock } from '../../payments/application/ports/clock.port';
import type { EarlyReversals } from '../../payments/application/ports/early-reversals.port';
import type { Payment } from '../../payments/domain/payment';
import { namesPurchase } from '../domain/early-reversal';
import type { EarlyReversalStore } from './ports/early-reversal.store.port';

export class EarlyReversalCheck implements EarlyReversals {
  constructor(
    private readonly store: EarlyReversalStore,
    private readonly clock: Clock,
  ) {}

  async claimFor(payment: Payment): Promise<boolean> {
    const candidates = (await this.store.findByTerminalStan(payment.terminalId, payment.stan)).filter((r) =>
      namesPurchase(r, payment),
    );
    for (const reversal of candidates) {
      if (await this.store.bind(reversal.id, payment.id, this.clock.now())) return true;
    }
    return false;
  }
}
