import { Iso8583Error } from '../src/errors';

/** The Iso8583Error `fn` throws; anything else (or nothing) fails the test. */
export function caught(fn: () => unknown): Iso8583Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Iso8583Error) return error;
    throw error;
  }
  throw new Error('expected an Iso8583Error');
}
