import { Iso8583Error } from './errors';
import type { IsoMessage } from './message';

/**
 * Throws MISSING_VALUE naming the first absent field, with the MTI, STAN and terminal id when the
 * message has them, so a listener can answer 39=30 the same way it does for a decode error.
 */
export function requireFields(message: IsoMessage, fields: readonly number[]): void {
  for (const field of fields) {
    if (message.has(field)) continue;
    const stan = textOf(message, 11);
    const terminalId = textOf(message, 41);
    throw new Iso8583Error('MISSING_VALUE', 'mandatory field is absent', {
      field,
      mti: message.mti,
      ...(stan !== undefined ? { stan } : {}),
      ...(terminalId !== undefined ? { terminalId } : {}),
    });
  }
}

function textOf(message: IsoMessage, field: number): string | undefined {
  try {
    return message.get(field);
  } catch {
    return undefined;
  }
}
