// Alipay's own clock formats. Kept apart from the adapters' helpers on purpose: an emulator that shared
// the client's formatting code would hide the client's formatting bugs.

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function parts(date: Date, offsetMs: number): [string, string, string, string, string, string] {
  const t = new Date(date.getTime() + offsetMs);
  return [
    pad(t.getUTCFullYear(), 4),
    pad(t.getUTCMonth() + 1),
    pad(t.getUTCDate()),
    pad(t.getUTCHours()),
    pad(t.getUTCMinutes()),
    pad(t.getUTCSeconds()),
  ];
}

/** AMS: ISO 8601 with offset, written in UTC ("2024-05-01T02:03:04+00:00"). */
export function amsTime(date: Date): string {
  const [y, mo, d, h, mi, s] = parts(date, 0);
  return `${y}-${mo}-${d}T${h}:${mi}:${s}+00:00`;
}

/** Open Platform and notify_time: "yyyy-MM-dd HH:mm:ss", Beijing wall clock (UTC+8, as Alipay writes it). */
export function beijingDateTime(date: Date): string {
  const [y, mo, d, h, mi, s] = parts(date, BEIJING_OFFSET_MS);
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

/** MAPI: "YYYYMMDDHHMMSS", Beijing wall clock. */
export function beijingCompact(date: Date): string {
  const [y, mo, d, h, mi, s] = parts(date, BEIJING_OFFSET_MS);
  return `${y}${mo}${d}${h}${mi}${s}`;
}

/** "YYYYMMDD" (Beijing), the date prefix of Alipay transaction numbers. */
export function beijingDay(date: Date): string {
  return beijingCompact(date).slice(0, 8);
}
