/** Reads Prometheus text exposition: the value of one series, by metric name and exact labels. */
export async function scrape(
  httpUrl: string,
): Promise<{ status: number; contentType: string; text: string }> {
  const response = await fetch(`${httpUrl}/metrics`);
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** The sample's value, or undefined when the series is absent. Labels must all match (others may exist). */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map<string, string>();
    for (const pair of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      present.set(pair[1], pair[2]);
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) return Number(match[4]);
  }
  return undefined;
}

/** Sum of every series of `name` whose labels include `labels`. */
export function total(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const value = sample(line, name, labels);
    if (value !== undefined) sum += value;
  }
  return sum;
}
