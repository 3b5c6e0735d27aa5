/**
 * Reversals that reached the switch before the purchase they name (src/reversals stores them). Seed 004's
 * "request/response switch" acknowledges such a reversal at once; when the purchase turns up afterwards it
 * must not be paid. The purchase service asks right after storing a purchase and before calling Alipay.
 */
import type { Payment } from '../../domain/payment';

export interface EarlyReversals {
  /**
   * Binds a stored reversal that names `payment` (same terminal, merchant and STAN, and the same original
   * date/time when the reversal carried one) to it. True when one is bound to it now or was before:
   * the purchase is then refused without calling Alipay.
   */
  claimFor(payment: Payment): Promise<boolean>;
}
