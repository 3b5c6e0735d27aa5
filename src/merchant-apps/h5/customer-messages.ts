/**
 * What the customer (or the cashier helping them) reads when an H5 order does not go through, in plain
 * words (seed 002: business errors are told the way a cashier understands them). Codes stay in the JSON
 * for support; the page shows only these sentences.
 */
import type { FailureReason } from '@switch/alipay';
import type { InvalidKind } from '../../payments/domain/outcome';

export const SIGN_IN_AGAIN = 'Your Alipay sign-in has expired. Please close this page and scan the table code again.';
export const ALIPAY_NOT_ANSWERING = 'Alipay is not answering right now. Nothing has been charged; please try again in a moment.';
export const ORDER_NOT_CONFIRMED = 'We could not confirm your order with Alipay. Nothing will be charged; please try again in a moment.';
export const ORDER_NOT_FOUND = 'We cannot find this order. Please ask a member of staff.';
export const WAITING = 'Waiting for Alipay to confirm your payment…';
export const PAID = 'Payment received. Thank you! Your order is on its way.';
export const CANCELLED = 'The payment was cancelled. If any money was taken it is returned to your Alipay account.';

const INVALID: Readonly<Record<InvalidKind, string>> = {
  format: 'We could not read your order. Please reload the page and try again.',
  transaction: 'This restaurant cannot take Alipay orders at the table right now. Please pay at the counter.',
  amount: 'Please choose at least one dish (the amount must be above zero).',
  currency: 'This currency cannot be paid here. Please pay at the counter.',
  'payment-code': 'We could not identify your Alipay account. Please scan the table code again.',
  'merchant-mismatch': 'This table code does not belong to this restaurant. Please ask a member of staff.',
  'merchant-unavailable': 'This restaurant cannot take Alipay payments right now. Please pay at the counter.',
};

const DECLINED: Partial<Record<FailureReason, string>> = {
  'insufficient-balance': 'Your Alipay balance is not enough for this order. Please choose another way to pay in Alipay, or pay at the counter.',
  'risk-rejected': 'Alipay could not accept this payment. Nothing was charged. Please pay at the counter.',
  'user-verification-failed': 'Alipay could not verify you. Nothing was charged. Please try again.',
  'amount-limit': 'This amount is above your Alipay limit. Please pay at the counter.',
  'count-limit': 'You have reached your Alipay payment limit for today. Please pay at the counter.',
  closed: 'The payment was not completed, so nothing was charged. You can try again.',
  'not-found': 'The payment was not completed, so nothing was charged. You can try again.',
  'currency-not-supported': 'This currency cannot be paid here. Please pay at the counter.',
  'merchant-not-permitted': 'This restaurant cannot take Alipay payments right now. Please pay at the counter.',
  'duplicate-inconsistent': 'This order was changed after it was sent. Please start a new order.',
};

export function invalidMessage(problem: InvalidKind): string {
  return INVALID[problem];
}

export function declinedMessage(reason: FailureReason | undefined): string {
  return (reason && DECLINED[reason]) ?? 'Alipay declined the payment. Nothing was charged. Please pay at the counter.';
}
