/** Where the engine reports what it cannot put in a payment's history (a pino Logger fits). Never given a payment code. */
export interface PaymentsLog {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

export const silentLog: PaymentsLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
