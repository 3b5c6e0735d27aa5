/** Keeps the first two and last four digits: enough for a cashier or ops to recognise a code, useless to replay. */
export function maskPaymentCode(code: string): string {
  if (code.length <= 6) return '*'.repeat(code.length);
  return `${code.slice(0, 2)}${'*'.repeat(code.length - 6)}${code.slice(-4)}`;
}

// Any run of 16-32 digits starting 25-30 looks like a payment code; log lines never carry one in clear.
const PAYMENT_CODE_PATTERN = /\b(2[5-9]|30)\d{14,30}\b/g;

export function maskPaymentCodesIn(text: string): string {
  return text.replace(PAYMENT_CODE_PATTERN, (match) => maskPaymentCode(match));
}
