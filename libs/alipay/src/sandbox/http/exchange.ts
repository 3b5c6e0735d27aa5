import { IncomingHttpHeaders } from 'node:http';

/** One HTTP request, fully read, as a protocol handler sees it. */
export interface SandboxRequest {
  method: string;
  /** URL path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The raw body as UTF-8 text (signatures are checked over these exact characters). */
  body: string;
  receivedAt: Date;
}

export interface SandboxReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Never answer: hold the socket, then destroy it (scenario 004). */
  withhold?: boolean;
}

export function jsonReply(status: number, value: unknown): SandboxReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  };
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Form parameters from the query and an urlencoded body; the body wins on a clash. */
export function formParams(req: SandboxRequest): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of req.query) params[k] = v;
  if (req.body.length > 0) {
    for (const [k, v] of new URLSearchParams(req.body)) params[k] = v;
  }
  return params;
}
