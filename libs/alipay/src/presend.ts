import type { ChannelOutcome, Money } from './channel.port';
import { currencyByAlpha } from './money';
import { CallTimer, failure } from './outcome';

// Checks made before anything is sent. Nothing reached Alipay, so the outcome is a definite failure, not
// `unknown`; the codes are the switch's own (SWITCH.*) so nobody mistakes them for Alipay's.

export function checkAmount(amount: Money, timer: CallTimer, needExponent: boolean): ChannelOutcome | undefined {
  if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) {
    return failure('SWITCH.INVALID_AMOUNT', 'invalid-request', timer.raw());
  }
  if (!/^[A-Z]{3}$/.test(amount.currency) || (needExponent && !currencyByAlpha(amount.currency))) {
    return failure('SWITCH.CURRENCY_NOT_SUPPORTED', 'currency-not-supported', timer.raw());
  }
  return undefined;
}
