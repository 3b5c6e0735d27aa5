/**
 * The few logging calls the toolkit makes, in pino's argument order, so the application's pino logger
 * (src/logging) fits as it is and tests can pass a recorder.
 */
export interface ForwardingLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: ForwardingLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
