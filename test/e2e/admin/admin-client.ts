/** A small HTTP client for the admin API that keeps every answer, so a test can check none leaks a secret. */
import { randomUUID } from 'node:crypto';

export interface Answer {
  status: number;
  contentType: string;
  requestId: string;
  headers: Headers;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are checked field by field
}

export class AdminClient {
  /** Every answer body seen, with the request that got it. */
  readonly seen: Array<{ request: string; text: string }> = [];

  constructor(private readonly baseUrl: string) {}

  async call(
    method: string,
    path: string,
    options: { key?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<Answer> {
    const requestId = `t-${randomUUID()}`;
    const headers: Record<string, string> = { 'x-request-id': requestId, ...options.headers };
    if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    this.seen.push({ request: `${method} ${path}`, text });
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      requestId,
      headers: response.headers,
      text,
      body: parsed,
    };
  }
}
