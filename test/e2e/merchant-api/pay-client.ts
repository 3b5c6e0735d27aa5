/** A signing HTTP client for /pay/v1, as a merchant's server would be, and a webhook receiver that keeps what it got. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatureHeader } from '../../../src/merchant-api/signing/request-signature';
import type { AdminClient } from '../admin/admin-client';

export interface PayAnswer {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are checked field by field
}

export interface Credentials {
  clientId: string;
  secret: string;
}

/** A new API client of the merchant, made through the admin API (`adminKey` may create one). */
export async function createApiClient(admin: AdminClient, adminKey: string, merchantId: string, name: string): Promise<Credentials> {
  const created = await admin.call('POST', `/admin/v1/merchants/${merchantId}/api-clients`, { key: adminKey, body: { name, reason: 'e2e merchant app' } });
  if (created.status !== 201) throw new Error(`creating API client ${name}: HTTP ${created.status}`);
  return { clientId: created.body.clientId as string, secret: created.body.clientSecret as string };
}

export class PayClient {
  constructor(
    private readonly baseUrl: string,
    private readonly credentials: Credentials,
  ) {}

  async call(
    method: string,
    path: string,
    options: { body?: unknown; idempotencyKey?: string; requestTime?: Date; signWith?: string; unsigned?: boolean; clientId?: string } = {},
  ): Promise<PayAnswer> {
    const body = options.body === undefined ? '' : JSON.stringify(options.body);
    const requestTime = (options.requestTime ?? new Date()).toISOString();
    const clientId = options.clientId ?? this.credentials.clientId;
    const headers: Record<string, string> = {};
    if (body) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (!options.unsigned) {
      headers['client-id'] = clientId;
      headers['request-time'] = requestTime;
      headers.signature = signatureHeader({ method, path, clientId, requestTime, body }, options.signWith ?? this.credentials.secret);
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, text, body: parsed };
  }
}

export interface ReceivedWebhook {
  at: number;
  body: string;
  signature: string | undefined;
  answered: number;
}

/** Answers 500 to the first `failures` posts of each event, then 204; every post is kept. */
export async function startWebhookReceiver(failures: number, port = 0): Promise<{ url: string; port: number; received: ReceivedWebhook[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const seen = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const eventId = (JSON.parse(body) as { id: string }).id;
      const count = (seen.get(eventId) ?? 0) + 1;
      seen.set(eventId, count);
      const answered = count <= failures ? 500 : 204;
      received.push({ at: Date.now(), body, signature: req.headers['webhook-signature'] as string | undefined, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/hooks/alipay`,
    port: bound,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
