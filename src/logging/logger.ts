import pino, { Logger } from 'pino';
import { maskPaymentCodesIn } from './mask';
import { redactSecrets } from './redact';

export type { Logger } from 'pino';

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      level,
      base: { service: 'alipay-switch' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // Secrets are removed by key name at any depth (child bindings: below).
        log: (object) => redactSecrets(object),
      },
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
  // pino applies `formatters.bindings` to the root's bindings only; children inherit this override (each is
  // an Object.create of its parent), so their bindings are redacted at every generation.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, redactSecrets(bindings), options);
  } as typeof logger.child;
  return logger;
}
