import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { DuplicateTransactionError, VersionConflictError } from '../../payments/domain/errors';
import { uniqueViolation } from './unique-violation';

/** UPDATE ... WHERE id = ? AND version = ?: a stale writer changes nothing and is told so. */
export async function updateAtVersion<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  entityName: 'payment' | 'refund',
  row: T & { id: string },
  expectedVersion: number,
): Promise<void> {
  const result = await manager.update(target, { id: row.id, version: expectedVersion }, row);
  if (result.affected !== 1) throw new VersionConflictError(entityName, row.id, expectedVersion);
}

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
