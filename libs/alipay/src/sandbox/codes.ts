import { DeclineReason } from './ledger';
import { SandboxProtocol } from './protocol';

export interface ProtocolCode {
  code: string;
  message: string;
}

/**
 * Declines named in each protocol's own vocabulary. AMS and Open Platform codes are Alipay's documented
 * ones; MAPI's public code list is thin, so its names are the sandbox's choice (see docs/alipay-sandbox.md).
 */
export const DECLINE_CODES: Readonly<Record<SandboxProtocol, Readonly<Record<DeclineReason, ProtocolCode>>>> =
  {
    ams: {
      'insufficient-balance': { code: 'USER_BALANCE_NOT_ENOUGH', message: 'The user balance is not enough.' },
      'invalid-code': { code: 'INVALID_CODE', message: 'The payment code is invalid or expired.' },
      'risk-rejected': { code: 'RISK_REJECT', message: 'The payment is rejected by risk control.' },
    },
    openapi: {
      'insufficient-balance': {
        code: 'ACQ.BUYER_BALANCE_NOT_ENOUGH',
        message: 'Buyer balance is not enough',
      },
      'invalid-code': { code: 'ACQ.PAYMENT_AUTH_CODE_INVALID', message: 'Payment auth code is invalid' },
      'risk-rejected': { code: 'ACQ.BUYER_ENABLE_STATUS_FORBID', message: 'Buyer status is forbidden' },
    },
    mapi: {
      'insufficient-balance': { code: 'BUYER_BALANCE_NOT_ENOUGH', message: 'Buyer balance is not enough' },
      'invalid-code': { code: 'INVALID_IDENTITY_CODE', message: 'Buyer identity code is invalid or expired' },
      'risk-rejected': { code: 'RISK_REJECT', message: 'Rejected by risk control' },
    },
  };

export function declineCode(protocol: SandboxProtocol, reason: DeclineReason): ProtocolCode {
  return DECLINE_CODES[protocol][reason];
}
