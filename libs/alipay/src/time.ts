// The switch keeps time in UTC. Two Alipay protocols want wall-clock text in Beijing time (UTC+8, no DST):
// Open Platform `timestamp` / `gmt_payment` and MAPI `trans_create_time` / `alipay_pay_time`.

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

interface WallClock {
  y: string;
  mo: string;
  d: string;
  h: string;
  mi: string;
  s: string;
}

function wallClock(date: Date, offsetMs: number): WallClock {
  const t = new Date(date.getTime() + offsetMs);
  return {
    y: pad(t.getUTCFullYear(), 4),
    mo: pad(t.getUTCMonth() + 1),
    d: pad(t.getUTCDate()),
    h: pad(t.getUTCHours()),
    mi: pad(t.getUTCMinutes()),
    s: pad(t.getUTCSeconds()),
  };
}

/** ISO 8601 with an explicit offset, in UTC: "2020-06-11T05:35:02+00:00" (AMS times). */
export function isoUtc(date: Date): string {
  const w = wallClock(date, 0);
  return `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}+00:00`;
}

/** "yyyy-MM-dd HH:mm:ss" in Beijing time (Open Platform). */
export function beijingDateTime(date: Date): string {
  const w = wallClock(date, BEIJING_OFFSET_MS);
  return `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}:${w.s}`;
}

/** "YYYYMMDDHHMMSS" in Beijing time (MAPI). */
export function beijingCompact(date: Date): string {
  const w = wallClock(date, BEIJING_OFFSET_MS);
  return `${w.y}${w.mo}${w.d}${w.h}${w.mi}${w.s}`;
}

/** Reads "yyyy-MM-dd HH:mm:ss" or "YYYYMMDDHHMMSS" as Beijing time; undefined when malformed. */
export function parseBeijing(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
