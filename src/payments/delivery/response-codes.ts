/**
 * The ISO 8583 edge's reading of the engine's outcomes: field 39 codes and the cashier's field-44 text.
 * The domain never sees these codes; another edge (REST, a different terminal protocol) maps on its own.
 */
import { FAILURE_MESSAGES } from '@switch/alipay';
import { ResponseCode } from '../../terminal/iso-reply';
import type { InvalidKind, Outcome } from '../domain/outcome';
import type { FailureReason } from '../domain/payment';

/** Every reason Alipay (or the engine on its behalf) gives for a refusal. */
export const FAILURE_REASON_CODES: Readonly<Record<FailureReason, string>> = {
  'insufficient-balance': ResponseCode.InsufficientBalance, // 51
  'invalid-code': ResponseCode.InvalidPaymentCode, // 14
  'expired-code': ResponseCode.ExpiredCode, // 54
  'user-verification-failed': ResponseCode.UserVerificationFailed, // 55
  'risk-rejected': ResponseCode.RiskRejected, // 59
  'amount-limit': ResponseCode.AmountLimit, // 61
  'count-limit': ResponseCode.CountLimit, // 65
  'not-found': ResponseCode.OriginalNotFound, // 25: Alipay does not know the payment (a refund's original)
  closed: ResponseCode.Declined, // 05
  'cancel-window-exceeded': ResponseCode.InvalidTransaction, // 12: no longer allowed on this transaction
  'refund-window-exceeded': ResponseCode.InvalidTransaction, // 12
  'refund-amount-exceeded': ResponseCode.InvalidAmount, // 13: more than is left to refund
  'duplicate-inconsistent': ResponseCode.Duplicate, // 94
  'invalid-request': ResponseCode.SystemError, // 96: the switch built a request Alipay rejects; not the cashier's to fix
  'currency-not-supported': ResponseCode.InvalidAmount, // 13: ISO 8583 has no currency code; the amount is unusable
  'merchant-not-permitted': ResponseCode.NotPermittedToTerminal, // 58
  declined: ResponseCode.Declined, // 05
};

export const INVALID_KIND_CODES: Readonly<Record<InvalidKind, string>> = {
  format: ResponseCode.FormatError, // 30
  transaction: ResponseCode.InvalidTransaction, // 12
  amount: ResponseCode.InvalidAmount, // 13
  currency: ResponseCode.InvalidAmount, // 13
  'payment-code': ResponseCode.InvalidPaymentCode, // 14
  'merchant-mismatch': ResponseCode.NotPermittedToTerminal, // 58
  'merchant-unavailable': ResponseCode.NotPermittedToTerminal, // 58
};

const INVALID_KIND_MESSAGES: Readonly<Record<InvalidKind, string>> = {
  format: 'Format error',
  transaction: 'Invalid transaction',
  amount: 'Invalid amount',
  currency: 'Invalid currency',
  'payment-code': 'Invalid payment code',
  'merchant-mismatch': 'Merchant not permitted',
  'merchant-unavailable': 'Merchant not permitted',
};

export interface IsoAnswer {
  responseCode: string;
  /** Field 44: at most 25 printable ASCII characters. */
  cashierMessage: string;
}

export function isoAnswerFor(outcome: Outcome): IsoAnswer {
  switch (outcome.kind) {
    case 'approved':
      return answer(ResponseCode.Approved, 'Approved');
    case 'declined':
      return answer(FAILURE_REASON_CODES[outcome.reason], FAILURE_MESSAGES[outcome.reason]);
    case 'cancelled':
      return answer(ResponseCode.Declined, 'Payment cancelled');
    case 'invalid':
      return answer(INVALID_KIND_CODES[outcome.problem], INVALID_KIND_MESSAGES[outcome.problem]);
    case 'duplicate':
      return answer(ResponseCode.Duplicate, 'Duplicate transaction');
    case 'original-not-found':
      return answer(ResponseCode.OriginalNotFound, 'Original not found');
    case 'in-doubt':
      // The gateway timeout settles it: an approval the terminal never saw is cancelled.
      return answer(ResponseCode.AlipayUnavailable, 'No result, not charged');
    case 'unavailable':
      return answer(ResponseCode.AlipayUnavailable, 'Alipay unavailable');
    case 'system-error':
      return answer(ResponseCode.SystemError, 'System error');
  }
}

function answer(responseCode: string, message: string): IsoAnswer {
  return { responseCode, cashierMessage: message.replace(/[^\x20-\x7e]/g, '').slice(0, 25) };
}
