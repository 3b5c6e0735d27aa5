/**
 * Domain objects mark an absent optional field `undefined`; rows hold SQL NULL. NULL must be written
 * explicitly on update (TypeORM skips `undefined` columns, which would leave a stale value behind).
 */
export function nullsForMissing<T extends object, K extends keyof T>(
  record: T,
  optional: readonly K[],
): { [P in K]-?: NonNullable<T[P]> | null } {
  const out = {} as { [P in K]-?: NonNullable<T[P]> | null };
  for (const key of optional) out[key] = record[key] ?? null;
  return out;
}

export function missingForNulls<T extends object, K extends keyof T>(
  row: T,
  optional: readonly K[],
): { [P in K]: NonNullable<T[P]> | undefined } {
  const out = {} as { [P in K]: NonNullable<T[P]> | undefined };
  for (const key of optional) out[key] = row[key] ?? undefined;
  return out;
}
