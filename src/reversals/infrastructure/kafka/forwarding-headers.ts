import type { IHeaders } from 'kafkajs';
import type { HeaderMap } from './forwarding-handler';

/** Bookkeeping headers the toolkit writes on retry and dead-letter copies. */
export const ForwardingHeader = {
  Attempt: 'attempt',
  NotBefore: 'not-before',
  FirstSeen: 'first-seen',
  LastError: 'last-error',
  DeadReason: 'dead-reason',
  OriginTopic: 'origin-topic',
  OriginPartition: 'origin-partition',
  OriginOffset: 'origin-offset',
} as const;

const RESERVED: ReadonlySet<string> = new Set(Object.values(ForwardingHeader));

// Headers travel with every copy of the message; an unbounded error text would bloat the topic.
const MAX_TEXT_CHARS = 500;

/** What the toolkit knows about one delivery, read from the headers. */
export interface Envelope {
  readonly attempt: number;
  readonly notBeforeMs: number;
  readonly firstSeenMs: number;
  readonly lastError?: string;
  readonly appHeaders: HeaderMap;
}

/** kafkajs header values (Buffer, string or a list of them) as strings; a repeated header keeps its last value. */
export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined) continue;
    result[name] = typeof value === 'string' ? value : value.toString('utf8');
  }
  return result;
}

function wholeNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,16}$/.test(text)) return undefined;
  return Number(text);
}

/**
 * Reads a delivery. `tierAttempt` is the attempt the topic stands for (1 on the main topic, k + 1 on retry
 * topic k); it is what counts, so a copy with damaged headers is still retried on schedule rather than lost.
 * On the main topic `not-before` is ignored: new work is never held back.
 */
export function readEnvelope(
  headers: Readonly<Record<string, string>>,
  tierAttempt: number,
  fallbackFirstSeenMs: number,
): Envelope {
  const appHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!RESERVED.has(name)) appHeaders[name] = value;
  }
  const lastError = headers[ForwardingHeader.LastError];
  return {
    attempt: tierAttempt,
    notBeforeMs: tierAttempt > 1 ? (wholeNumber(headers[ForwardingHeader.NotBefore]) ?? 0) : 0,
    firstSeenMs: wholeNumber(headers[ForwardingHeader.FirstSeen]) ?? fallbackFirstSeenMs,
    ...(lastError !== undefined && tierAttempt > 1 ? { lastError } : {}),
    appHeaders,
  };
}

export function boundedText(text: string): string {
  return text.length <= MAX_TEXT_CHARS ? text : `${text.slice(0, MAX_TEXT_CHARS - 1)}…`;
}

/** Headers for the copy sent to the next retry topic. */
export function retryHeaders(
  envelope: Envelope,
  next: { readonly attempt: number; readonly notBeforeMs: number; readonly lastError: string },
): Record<string, string> {
  return {
    ...envelope.appHeaders,
    [ForwardingHeader.Attempt]: String(next.attempt),
    [ForwardingHeader.NotBefore]: String(next.notBeforeMs),
    [ForwardingHeader.FirstSeen]: String(envelope.firstSeenMs),
    [ForwardingHeader.LastError]: boundedText(next.lastError),
  };
}

/** Headers for the dead-letter copy: enough for ops to see what it was, where it came from and why it died. */
export function deadLetterHeaders(
  envelope: Envelope,
  origin: { readonly topic: string; readonly partition: number; readonly offset: string },
  death: { readonly reason: string; readonly lastError?: string },
): Record<string, string> {
  const lastError = death.lastError ?? envelope.lastError;
  return {
    ...envelope.appHeaders,
    [ForwardingHeader.Attempt]: String(envelope.attempt),
    [ForwardingHeader.FirstSeen]: String(envelope.firstSeenMs),
    ...(lastError !== undefined ? { [ForwardingHeader.LastError]: boundedText(lastError) } : {}),
    [ForwardingHeader.DeadReason]: boundedText(death.reason),
    [ForwardingHeader.OriginTopic]: origin.topic,
    [ForwardingHeader.OriginPartition]: String(origin.partition),
    [ForwardingHeader.OriginOffset]: origin.offset,
  };
}
