/** Injection tokens of the reversals module's ports. */
export const EARLY_REVERSAL_STORE = Symbol('EARLY_REVERSAL_STORE'); // EarlyReversalStore
export const MANUAL_INTERVENTIONS = Symbol('MANUAL_INTERVENTIONS'); // ManualInterventions
export const REVERSALS_LOG = Symbol('REVERSALS_LOG'); // ReversalsLog
