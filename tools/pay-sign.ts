/**
 * `npm run -s pay-sign -- <METHOD> <path> ['<json body>']`: prints a signed, runnable curl command for the
 * merchant payment API (docs/merchant-api.md), with the client from PAY_CLIENT_ID and PAY_CLIENT_SECRET and
 * the server from PAY_API_URL (default http://127.0.0.1:8587). A POST gets a fresh Idempotency-Key. The
 * signature holds for PAY_API_CLOCK_SKEW_MS (5 minutes by default): run the printed command soon.
 */
import { randomUUID } from 'node:crypto';
import { signatureHeader } from '../src/merchant-api/signing/request-signature';

const USAGE = "usage: PAY_CLIENT_ID=mc_... PAY_CLIENT_SECRET=sk_... npm run -s pay-sign -- <GET|POST> </pay/v1/...> ['<json body>']";

export function signedCurl(args: string[], env: Record<string, string | undefined>, now = new Date()): string {
  const [method, path, body = ''] = args;
  const clientId = env.PAY_CLIENT_ID;
  const secret = env.PAY_CLIENT_SECRET;
  if (!method || !path?.startsWith('/pay/v1/') || !clientId || !secret || (body !== '' && !isJson(body))) throw new Error(USAGE);
  const baseUrl = env.PAY_API_URL ?? 'http://127.0.0.1:8587';
  const upper = method.toUpperCase();
  const requestTime = now.toISOString();
  const signature = signatureHeader({ method: upper, path, clientId, requestTime, body }, secret);
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  return [
    `curl -s -X ${upper} ${quote(`${baseUrl}${path}`)}`,
    `-H ${quote(`Client-Id: ${clientId}`)}`,
    `-H ${quote(`Request-Time: ${requestTime}`)}`,
    `-H ${quote(`Signature: ${signature}`)}`,
    ...(upper === 'POST' ? [`-H ${quote(`Idempotency-Key: ${randomUUID()}`)}`] : []),
    ...(body ? [`-H 'Content-Type: application/json'`, `--data-raw ${quote(body)}`] : []),
  ].join(' \\\n  ');
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

if (require.main === module) {
  try {
    process.stdout.write(`${signedCurl(process.argv.slice(2), process.env)}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(64);
  }
}
