import { DuplicateTransactionError } from '../../payments/domain/errors';
import { uniqueViolation } from './unique-violation';

/** Turns a unique-key violation into the domain's DuplicateTransactionError; anything else passes through. */
export async function translateDuplicates<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const key = uniqueViolation(error);
    if (key) throw new DuplicateTransactionError(key);
    throw error;
  }
}
