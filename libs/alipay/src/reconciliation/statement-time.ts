// Wall-clock times in a fixed UTC offset, as the statement files write them. Pure string work.

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** "yyyy-MM-dd HH:mm:ss" at `offsetMinutes` from UTC. */
export function wallClock(at: Date, offsetMinutes: number): string {
  const t = new Date(at.getTime() + offsetMinutes * 60_000);
  return (
    `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`
  );
}

/** Reads "yyyy-MM-dd HH:mm:ss" at `offsetMinutes` from UTC; undefined if malformed. */
export function readWallClock(text: string, offsetMinutes: number): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const utc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(utc) ? undefined : new Date(utc - offsetMinutes * 60_000);
}

/** ISO 8601 with an explicit offset ("2024-05-01T02:03:04+00:00"); undefined if it has none. */
export function readIsoTime(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text.trim())) return undefined;
  const ms = Date.parse(text.trim());
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
