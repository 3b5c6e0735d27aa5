/**
 * One webhook POST through node:http(s), so the connection goes through WebhookTargets' lookup (fetch takes
 * no lookup). Resolves with the HTTP status; rejects when the target is refused, the connection fails or no
 * answer comes within `timeoutMs`. Redirects are not followed: a 3xx is an answer, and not a 2xx.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { WebhookTargets } from './webhook-targets';

export function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  targets: WebhookTargets,
): Promise<number> {
  const refused = targets.refusal(url);
  if (refused) return Promise.reject(new Error(refused));
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: targets.lookup },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', reject);
    request.end(body);
  });
}
