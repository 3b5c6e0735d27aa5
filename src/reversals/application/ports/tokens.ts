/** Injection tokens of the reversals module's ports. */
export const OUTBOX_STORE = Symbol('OUTBOX_STORE'); // OutboxStore
export const EARLY_REVERSAL_STORE = Symbol('EARLY_REVERSAL_STORE'); // EarlyReversalStore
export const MANUAL_INTERVENTIONS = Symbol('MANUAL_INTERVENTIONS'); // ManualInterventions
export const CANCEL_JOB_STORE = Symbol('CANCEL_JOB_STORE'); // CancelJobStore
export const REVERSALS_LOG = Symbol('REVERSALS_LOG'); // ReversalsLog
