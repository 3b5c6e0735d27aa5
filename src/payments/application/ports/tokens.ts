/** Injection tokens the payments module's providers are bound to; src/persistence and the app module fill them. */
export const PAYMENT_REPOSITORY = Symbol('PAYMENT_REPOSITORY'); // PaymentRepository
export const REFUND_REPOSITORY = Symbol('REFUND_REPOSITORY'); // RefundRepository
export const MERCHANT_CHANNELS = Symbol('MERCHANT_CHANNELS'); // MerchantChannels
export const EARLY_REVERSALS = Symbol('EARLY_REVERSALS'); // EarlyReversals (optional: src/reversals)
export const REFUND_ALLOWANCE = Symbol('REFUND_ALLOWANCE'); // RefundAllowance (optional: src/persistence, daily refund limits)
export const PAYMENTS_CONFIG = Symbol('PAYMENTS_CONFIG'); // PaymentsConfig
export const PAYMENTS_LOG = Symbol('PAYMENTS_LOG'); // PaymentsLog (the app's pino logger)
/** The engine's services (purchase, refund, inquiry, cancellation, notifications, resume) for other modules. */
export const PAYMENTS_ENGINE = Symbol('PAYMENTS_ENGINE'); // PaymentsEngine
export const MANUAL_INTERVENTIONS = Symbol('MANUAL_INTERVENTIONS'); // ManualInterventions (src/reversals stores them)
export const CANCEL_DECISIONS = Symbol('CANCEL_DECISIONS'); // CancelDecisions (optional: src/operations, metrics)
export const INSTANCE_LEASES = Symbol('INSTANCE_LEASES'); // InstanceLeases (optional: src/persistence; without it the engine owns every payment)
