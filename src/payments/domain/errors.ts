/**
 * Typed errors of the payments module. Expected outcomes (a decline, a duplicate STAN seen by the service)
 * are values in `outcome.ts`; these classes are for what breaks the normal flow. Messages never carry a
 * payment code.
 */

export type PaymentErrorCode =
  | 'PAYMENT.DUPLICATE_TRANSACTION'
  | 'PAYMENT.VERSION_CONFLICT'
  | 'PAYMENT.NOT_FOUND'
  | 'PAYMENT.ILLEGAL_TRANSITION'
  | 'PAYMENT.INVALID_PAYMENT_CODE'
  | 'PAYMENT.INVALID_REQUEST_ID'
  | 'PAYMENT.NOT_OWNER';

export abstract class PaymentError extends Error {
  abstract readonly code: PaymentErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Which unique key an insert collided with. */
export type UniqueKey =
  | 'terminal-stan-datetime' // (terminalId, stan, localDateTime)
  | 'rrn' // rrn
  | 'request-id'; // paymentRequestId, or refundRequestId for refunds

/** Thrown by a repository's insert when a unique key already exists. */
export class DuplicateTransactionError extends PaymentError {
  readonly code = 'PAYMENT.DUPLICATE_TRANSACTION' as const;
  constructor(
    readonly key: UniqueKey,
    detail = '',
  ) {
    super(`duplicate transaction on ${key}${detail ? `: ${detail}` : ''}`);
  }
}

/** Thrown by a repository's update when the row's version is not the expected one: reload and re-apply. */
export class VersionConflictError extends PaymentError {
  readonly code = 'PAYMENT.VERSION_CONFLICT' as const;
  constructor(
    readonly entity: 'payment' | 'refund',
    readonly id: string,
    readonly expectedVersion: number,
  ) {
    super(`${entity} ${id} is no longer at version ${expectedVersion}`);
  }
}

export class PaymentNotFoundError extends PaymentError {
  readonly code = 'PAYMENT.NOT_FOUND' as const;
  constructor(readonly lookup: string) {
    super(`payment not found: ${lookup}`);
  }
}

export class IllegalTransitionError extends PaymentError {
  readonly code = 'PAYMENT.ILLEGAL_TRANSITION' as const;
  constructor(
    readonly from: string,
    readonly event: string,
  ) {
    super(`event ${event} is not allowed in state ${from}`);
  }
}

/**
 * Thrown instead of re-applying an owner's event (an inquiry result, the gateway timeout) to a payment that
 * another instance has taken over meanwhile: the new owner decides from here on, and the old one stops
 * its timers for the payment.
 */
export class NotOwnerError extends PaymentError {
  readonly code = 'PAYMENT.NOT_OWNER' as const;
  constructor(
    readonly paymentId: string,
    readonly owner: string | undefined,
  ) {
    super(`payment ${paymentId} is now driven by instance ${owner ?? '(none)'}`);
  }
}
