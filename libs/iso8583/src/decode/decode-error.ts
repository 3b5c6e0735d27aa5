import { latin1Slice } from '../encoding/latin1';
import { Iso8583Error, type Iso8583ErrorCode } from '../errors';
import { frame, progress, textEnds, textFields, textStarts } from './scratch';

/** Fields an error reports when they were read before it, so a 39=30 answer can carry them. */
const MTI_FIELD = 0;
const STAN_FIELD = 11;
const TERMINAL_ID_FIELD = 41;

/** The error for a frame that fails at `offset`: the cold path, so it may take its time. */
export function decodeError(
  code: Iso8583ErrorCode,
  reason: string,
  field: number | undefined,
  offset: number,
): Iso8583Error {
  const mti = readSoFar(MTI_FIELD);
  const stan = readSoFar(STAN_FIELD);
  const terminalId = readSoFar(TERMINAL_ID_FIELD);
  return new Iso8583Error(code, reason, {
    ...(field !== undefined ? { field } : {}),
    offset,
    ...(mti !== undefined ? { mti } : {}),
    ...(stan !== undefined ? { stan } : {}),
    ...(terminalId !== undefined ? { terminalId } : {}),
  });
}

/** A text already read in this frame, or undefined. */
function readSoFar(field: number): string | undefined {
  for (let k = 0; k < progress.texts; k++) {
    if (textFields[k] === field) return latin1Slice(frame, textStarts[k], textEnds[k]);
  }
  return undefined;
}
