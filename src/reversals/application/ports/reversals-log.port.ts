/** Where the reversals module reports what no payment history can hold (a pino Logger fits). */
export interface ReversalsLog {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

export const silentReversalsLog: ReversalsLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
