/**
 * A merchant's limits as the admin API reads and writes them: each one a non-negative whole number of minor
 * units (or refunds), or null for "no limit of the merchant's own". A PATCH changes only the limits it names.
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { MerchantEntity } from '../../persistence/entities';
import { badRequest } from '../http/problem';

export const LIMIT_NAMES = ['purchaseMaxMinor', 'refundDailyMaxMinor', 'refundDailyMaxCount'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];
export type LimitsView = Record<LimitName, number | null>;

/** OpenAPI shape of `limits` (the body is checked by checkLimits, which names each bad field). */
export class MerchantLimitsDto {
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, example: 500000, description: 'Most one purchase may be, in minor units of its currency; above it the terminal gets 61 and Alipay is not called. null: no maximum' })
  purchaseMaxMinor?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, example: 1000000, description: 'Minor units the merchant may refund per UTC day (61 past it). null: REFUND_DAILY_LIMIT_MINOR applies' })
  refundDailyMaxMinor?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, example: 20, description: 'Refunds the merchant may make per UTC day (61 past it). null: REFUND_DAILY_LIMIT_COUNT applies' })
  refundDailyMaxCount?: number | null;
}

export function limitsView(row: MerchantEntity): LimitsView {
  return {
    purchaseMaxMinor: row.purchaseMaxMinor ?? null,
    refundDailyMaxMinor: row.refundDailyMaxMinor ?? null,
    refundDailyMaxCount: row.refundDailyMaxCount ?? null,
  };
}

/** The limits named in `given`, checked; 400 naming every bad field otherwise. */
export function checkLimits(given: Record<string, unknown>): Partial<LimitsView> {
  const problems = [
    ...Object.keys(given).filter((k) => !LIMIT_NAMES.some((name) => name === k)).map((k) => `limits.${k} is not a merchant limit (${LIMIT_NAMES.join(', ')})`),
    ...LIMIT_NAMES.filter((k) => k in given && !isLimit(given[k])).map((k) => `limits.${k} must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, or null`),
  ];
  if (problems.length > 0) throw badRequest(`the limits are not valid: ${problems.join('; ')}`, problems);
  const checked: Partial<LimitsView> = {};
  for (const k of LIMIT_NAMES) if (k in given) checked[k] = given[k] as number | null;
  return checked;
}

function isLimit(value: unknown): boolean {
  return value === null || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
}
