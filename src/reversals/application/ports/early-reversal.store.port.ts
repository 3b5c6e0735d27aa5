/** Durable storage of reversals whose original had not been seen (src/persistence implements it). */
import type { EarlyReversal } from '../../domain/early-reversal';

export interface EarlyReversalStore {
  /** Stores it unless a reversal with the same key is stored already; returns the stored one either way. */
  store(reversal: EarlyReversal): Promise<{ reversal: EarlyReversal; repeat: boolean }>;
  /** Stored reversals naming this terminal's STAN. */
  findByTerminalStan(terminalId: string, originalStan: string): Promise<EarlyReversal[]>;
  /** Binds the reversal to a payment unless it is bound to another; true when bound to this one now. */
  bind(reversalId: string, paymentId: string, at: Date): Promise<boolean>;
}
