import pino, { Logger } from 'pino';
import { maskPaymentCodesIn } from './mask';

export type { Logger } from 'pino';

/** Keys whose values are secrets: removed from every log line whatever the nesting. */
const REDACTED_PATHS = [
  '*.privateKey',
  '*.merchantPrivateKey',
  '*.md5Key',
  '*.macKey',
  '*.agentToken',
  '*.accessToken',
  '*.appAuthToken',
  '*.paymentCode',
  '*.password',
  'headers["agent-token"]',
  'headers.signature',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'alipay-switch' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        // Last line of defence: a payment code that slipped into a message string is masked anyway.
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? maskPaymentCodesIn(arg) : arg));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
