import { Logger } from '@nestjs/common';

/** The structured logger the listener writes to: pino-compatible (`logger.warn({ field }, 'message')`). */
export interface IsoLogger {
  debug?(obj: object, msg: string): void;
  /** pino's; when absent, debug is treated as off so per-message dumps cost nothing. */
  isLevelEnabled?(level: string): boolean;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Falls back to Nest's logger when the lead does not pass a pino instance. */
export function nestIsoLogger(context = 'IsoServer'): IsoLogger {
  const logger = new Logger(context);
  const line = (obj: object, msg: string): string => `${msg} ${safeJson(obj)}`;
  return {
    debug: (obj, msg) => logger.debug(line(obj, msg)),
    info: (obj, msg) => logger.log(line(obj, msg)),
    warn: (obj, msg) => logger.warn(line(obj, msg)),
    error: (obj, msg) => logger.error(line(obj, msg)),
    isLevelEnabled: (level) => level !== 'debug' || Logger.isLevelEnabled('debug'),
  };
}

/** Whether per-message debug dumps should be built at all (describeMessage is not free on the hot path). */
export function debugEnabled(logger: IsoLogger): boolean {
  return logger.debug !== undefined && logger.isLevelEnabled?.('debug') === true;
}

/** For tests and benchmarks that want silence. */
export const silentIsoLogger: IsoLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  isLevelEnabled: () => false,
});

function safeJson(obj: object): string {
  try {
    return JSON.stringify(obj);
  } catch {
    return '{}';
  }
}
