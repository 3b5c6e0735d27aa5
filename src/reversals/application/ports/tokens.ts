/** Injection tokens of the reversals module's ports. */
export const EARLY_REVERSAL_STORE = Symbol('EARLY_REVERSAL_STORE'); // EarlyReversalStore
export { MANUAL_INTERVENTIONS } from '../../../payments/application/ports/tokens'; // ManualInterventions
export const REVERSALS_LOG = Symbol('REVERSALS_LOG'); // ReversalsLog
