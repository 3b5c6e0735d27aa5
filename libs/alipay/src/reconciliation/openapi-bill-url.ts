/**
 * `alipay.data.dataservice.bill.downloadurl.query` (bill_type=trade): asks Open Platform for the URL of a
 * day's trade bill. The URL lives 30 seconds, so the caller downloads at once. Signed and verified as
 * every Open Platform call (RSA2 over the sorted parameters; the answer's sign over its response node).
 */
import type { OpenapiConfig } from '../config';
import { asRecord, parseJsonRecord, str } from '../json';
import { OpenapiSigner } from '../openapi/openapi.signer';
import { beijingDateTime } from '../time';

export const BILL_URL_METHOD = 'alipay.data.dataservice.bill.downloadurl.query';

export type BillUrlAnswer =
  | { readonly kind: 'url'; readonly url: string }
  /** Alipay refused: BILL_NOT_EXIST (not made yet), INVAILID_ARGUMENTS (sic), … */
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  /** No trustworthy answer (network, HTTP status, signature). */
  | { readonly kind: 'failed'; readonly detail: string };

export async function queryTradeBillUrl(
  config: OpenapiConfig,
  billDate: string,
  appAuthToken?: string,
): Promise<BillUrlAnswer> {
  const signer = new OpenapiSigner(
    config.merchantPrivateKey,
    config.alipayPublicKey,
    config.signType ?? 'RSA2',
  );
  const params: Record<string, string> = {
    app_id: config.appId,
    method: BILL_URL_METHOD,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: signer.signType,
    timestamp: beijingDateTime((config.now ?? (() => new Date()))()),
    version: '1.0',
    biz_content: JSON.stringify({ bill_type: 'trade', bill_date: billDate }),
    ...(appAuthToken ? { app_auth_token: appAuthToken } : {}),
  };
  params.sign = await signer.sign(params);
  let status: number;
  let body: string;
  try {
    const res = await fetch(config.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    status = res.status;
    body = await res.text();
  } catch (err) {
    return { kind: 'failed', detail: err instanceof Error ? err.message : String(err) };
  }
  const parsed = parseJsonRecord(body);
  const node = asRecord(parsed?.[`${BILL_URL_METHOD.replace(/\./g, '_')}_response`]);
  if (status !== 200 || !parsed || !node)
    return { kind: 'failed', detail: `HTTP ${status}, no response node` };
  const sign = str(parsed.sign);
  if (!sign || !signer.verifyResponse(body, BILL_URL_METHOD, sign))
    return { kind: 'failed', detail: 'response signature missing or invalid' };
  const url = str(node.bill_download_url);
  if (str(node.code) === '10000' && url) return { kind: 'url', url };
  return {
    kind: 'refused',
    code: str(node.sub_code) ?? str(node.code) ?? 'UNKNOWN',
    message: str(node.sub_msg) ?? str(node.msg) ?? '',
  };
}
