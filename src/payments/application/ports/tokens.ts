/** Injection tokens the payments module's providers are bound to; src/persistence and the app module fill them. */
export const PAYMENT_REPOSITORY = Symbol('PAYMENT_REPOSITORY'); // PaymentRepository
export const REFUND_REPOSITORY = Symbol('REFUND_REPOSITORY'); // RefundRepository
export const MERCHANT_CHANNELS = Symbol('MERCHANT_CHANNELS'); // MerchantChannels
export const CANCEL_REQUESTER = Symbol('CANCEL_REQUESTER'); // CancelRequester (defaults to OutboxCancelRequester)
export const EARLY_REVERSALS = Symbol('EARLY_REVERSALS'); // EarlyReversals (optional: src/reversals)
export const CLOCK = Symbol('CLOCK'); // Clock (defaults to the system clock)
export const SCHEDULER = Symbol('SCHEDULER'); // Scheduler (defaults to setTimeout)
export const PAYMENTS_CONFIG = Symbol('PAYMENTS_CONFIG'); // PaymentsConfig
export const PAYMENTS_LOG = Symbol('PAYMENTS_LOG'); // PaymentsLog (defaults to the app's pino logger)
