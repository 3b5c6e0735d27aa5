import { SandboxProtocol } from './protocol';

/**
 * What the sandbox does with a payment, chosen by the last three digits of the customer's payment code
 * so that a test (or a person at a POS simulator) picks an outcome by the code it scans.
 */
export type Scenario =
  | 'approve' // 000 and anything not listed: success at once
  | 'confirm' // 001: the user must confirm; processing for the first N inquiries, then success
  | 'insufficient-balance' // 002: declined
  | 'never-completes' // 003: processing until cancelled
  | 'no-answer' // 004: succeeds, but the pay call gets no HTTP answer
  | 'invalid-code' // 005: declined, invalid or expired code
  | 'cancel-flaky' // 006: success; the first three cancels answer unknown
  | 'risk-rejected' // 007: declined by risk control
  | 'cancel-window-passed' // 008: success; a cancel is refused as too late, so only a refund undoes it
  | 'cancel-status-error'; // 009: success; the first cancel answers the generic trade-status error, paid still

const BY_SUFFIX: Readonly<Record<string, Scenario>> = {
  '001': 'confirm',
  '002': 'insufficient-balance',
  '003': 'never-completes',
  '004': 'no-answer',
  '005': 'invalid-code',
  '006': 'cancel-flaky',
  '007': 'risk-rejected',
  '008': 'cancel-window-passed',
  '009': 'cancel-status-error',
};

export function scenarioOf(paymentCode: string): Scenario {
  return BY_SUFFIX[paymentCode.slice(-3)] ?? 'approve';
}

/** How many cancel calls of a 006 payment answer "unknown" before one succeeds. */
export const FLAKY_CANCEL_FAILURES = 3;

// AMS (Alipay+ user-presented mode) accepts 17-32 digits; the China and Global barcode APIs 16-24.
const CODE_LENGTH: Readonly<Record<SandboxProtocol, { min: number; max: number }>> = {
  ams: { min: 17, max: 32 },
  openapi: { min: 16, max: 24 },
  mapi: { min: 16, max: 24 },
};

/** Digits only, prefix 25-30, length per protocol. */
export function isValidPaymentCode(code: string, protocol: SandboxProtocol): boolean {
  const { min, max } = CODE_LENGTH[protocol];
  if (code.length < min || code.length > max || !/^\d+$/.test(code)) return false;
  const prefix = Number(code.slice(0, 2));
  return prefix >= 25 && prefix <= 30;
}

/** Keeps the prefix (wallet) and the last four digits (the scenario): enough to debug, not to pay. */
export function maskPaymentCode(code: string): string {
  if (code.length <= 6) return '*'.repeat(code.length);
  return `${code.slice(0, 2)}${'*'.repeat(code.length - 6)}${code.slice(-4)}`;
}
