/** Identifiers the switch hands to the terminal: retrieval reference numbers and approval codes. */
import { cryptoRandom, randomBase32, randomDigits, type RandomBytes } from './random';

/**
 * Field 37, 12 characters: last digit of the UTC year + day of year (3) + 8 random Crockford base32
 * characters (40 bits). Unique per day with overwhelming probability; the repositories' unique index
 * catches the rest and the service draws again.
 */
export function newRrn(at: Date, random: RandomBytes = cryptoRandom): string {
  const year = at.getUTCFullYear();
  const dayOfYear =
    Math.floor((Date.UTC(year, at.getUTCMonth(), at.getUTCDate()) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  return `${year % 10}${String(dayOfYear).padStart(3, '0')}${randomBase32(8, random)}`;
}

/** Field 38 on approval: 6 random digits (not a secret, not unique; printed on the receipt). */
export function newApprovalCode(random: RandomBytes = cryptoRandom): string {
  return randomDigits(6, random);
}
