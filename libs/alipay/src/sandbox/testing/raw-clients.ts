// Hand-signed requests for each protocol, independent of the adapters: they test the sandbox's wire
// behaviour directly and let benchmarks drive it without a channel. Not part of the public API.

import {
  amsSignContent,
  extractOpenapiResponseSignContent,
  formatAmsSignatureHeader,
  loadPrivateKey,
  loadPublicKey,
  mapiMd5Sign,
  mapiSignContent,
  openapiSignContent,
  parseAmsSignatureHeader,
  RsaAlgorithm,
  rsaSign,
  rsaVerify,
  md5Hex,
} from '../../signing';
import { SandboxCredentials } from '../credentials';

export interface SandboxTarget {
  url: string;
  credentials: SandboxCredentials;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function send(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
): Promise<RawAnswer> {
  const res = await fetch(url, init);
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return { status: res.status, headers, body: await res.text() };
}

export interface AmsCallOptions {
  clientId?: string;
  /** Sign with a key the sandbox does not know. */
  badSignature?: boolean;
  headers?: Record<string, string>;
  path?: string;
}

export async function amsCall(
  target: SandboxTarget,
  api: 'pay' | 'inquiryPayment' | 'cancel' | 'refund',
  body: object,
  options: AmsCallOptions = {},
): Promise<RawAnswer & { json: Record<string, unknown>; verified: boolean }> {
  const path = options.path ?? `/ams/api/v1/payments/${api}`;
  const clientId = options.clientId ?? target.credentials.ams.clientId;
  const text = JSON.stringify(body);
  const requestTime = String(Date.now());
  const key = options.badSignature
    ? loadPrivateKey(target.credentials.ams.alipayPrivateKey)
    : loadPrivateKey(target.credentials.ams.merchantPrivateKey);
  const signature = rsaSign(amsSignContent('POST', path, clientId, requestTime, text), key);
  const answer = await send(target.url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': clientId,
      'request-time': requestTime,
      signature: formatAmsSignatureHeader(signature, target.credentials.ams.keyVersion),
      ...(options.headers ?? {}),
    },
    body: text,
  });
  return {
    ...answer,
    json: JSON.parse(answer.body) as Record<string, unknown>,
    verified: verifyAmsAnswer(target, path, answer),
  };
}

/** Checks `signature` over "POST <path>\n<client-id>.<response-time>.<body>"; false when unsigned. */
export function verifyAmsAnswer(target: SandboxTarget, path: string, answer: RawAnswer): boolean {
  const parsed = parseAmsSignatureHeader(answer.headers.signature ?? '');
  const time = answer.headers['response-time'];
  const clientId = answer.headers['client-id'];
  if (!parsed || !time || !clientId) return false;
  const content = amsSignContent('POST', path, clientId, time, answer.body);
  return rsaVerify(content, parsed.signature, loadPublicKey(target.credentials.ams.alipayPublicKey));
}

export interface OpenapiCallOptions {
  notifyUrl?: string;
  signType?: RsaAlgorithm;
  badSignature?: boolean;
  appId?: string;
  appAuthToken?: string;
}

export async function openapiCall(
  target: SandboxTarget,
  method: string,
  biz: object,
  options: OpenapiCallOptions = {},
): Promise<RawAnswer & { node: Record<string, unknown>; verified: boolean }> {
  const signType = options.signType ?? 'RSA2';
  const params: Record<string, string> = {
    app_id: options.appId ?? target.credentials.openapi.appId,
    method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: signType,
    timestamp: '2024-01-01 12:00:00',
    version: '1.0',
    biz_content: JSON.stringify(biz),
  };
  if (options.notifyUrl) params.notify_url = options.notifyUrl;
  if (options.appAuthToken) params.app_auth_token = options.appAuthToken;
  const keyPem = options.badSignature
    ? target.credentials.openapi.alipayPrivateKey
    : target.credentials.openapi.merchantPrivateKey;
  params.sign = rsaSign(openapiSignContent(params), loadPrivateKey(keyPem), signType);
  // As alipay-sdk does: common parameters in the query, biz_content in the form body.
  const query = new URLSearchParams();
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) (k === 'biz_content' ? form : query).set(k, v);
  const answer = await send(`${target.url}/gateway.do?${query.toString()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: form.toString(),
  });
  const json = JSON.parse(answer.body) as Record<string, unknown>;
  const key = `${method.replace(/\./g, '_')}_response`;
  const node = (json[key] ?? json.error_response) as Record<string, unknown>;
  const content = extractOpenapiResponseSignContent(answer.body, method);
  const verified =
    content !== undefined &&
    typeof json.sign === 'string' &&
    rsaVerify(content, json.sign, loadPublicKey(target.credentials.openapi.alipayPublicKey), signType);
  return { ...answer, node, verified };
}

export interface MapiCallOptions {
  signType?: 'MD5' | RsaAlgorithm;
  badSignature?: boolean;
  partner?: string;
  httpMethod?: 'GET' | 'POST';
}

export interface MapiParsed {
  isSuccess: string | undefined;
  error: string | undefined;
  fields: Record<string, string>;
  sign: string | undefined;
  signType: string | undefined;
}

export async function mapiCall(
  target: SandboxTarget,
  service: string,
  business: Record<string, string>,
  options: MapiCallOptions = {},
): Promise<RawAnswer & { parsed: MapiParsed; verified: boolean }> {
  const signType = options.signType ?? 'MD5';
  const params: Record<string, string> = {
    service,
    partner: options.partner ?? target.credentials.mapi.partner,
    _input_charset: 'utf-8',
    ...business,
  };
  if (signType === 'MD5') {
    params.sign = mapiMd5Sign(
      params,
      options.badSignature ? md5Hex('wrong key') : target.credentials.mapi.md5Key,
    );
  } else {
    const keyPem = options.badSignature
      ? target.credentials.mapi.alipayPrivateKey
      : target.credentials.mapi.merchantPrivateKey;
    params.sign = rsaSign(mapiSignContent(params), loadPrivateKey(keyPem), signType);
  }
  params.sign_type = signType;
  const encoded = new URLSearchParams(params).toString();
  const answer =
    options.httpMethod === 'GET'
      ? await send(`${target.url}/mapi/gateway.do?${encoded}`, { method: 'GET' })
      : await send(`${target.url}/mapi/gateway.do?_input_charset=utf-8`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: encoded,
        });
  const parsed = parseMapiXml(answer.body);
  return { ...answer, parsed, verified: verifyMapiAnswer(target, parsed) };
}

const unescapeXml = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Reads the sandbox's fixed MAPI dialect (flat leaves, no attributes except request params). */
export function parseMapiXml(xml: string): MapiParsed {
  const leaf = (name: string, within: string): string | undefined => {
    const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(within);
    return m ? unescapeXml(m[1]) : undefined;
  };
  const inner = /<response><alipay>(.*)<\/alipay><\/response>/s.exec(xml)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const m of inner.matchAll(/<([a-z_]+)>([^<]*)<\/\1>/g)) fields[m[1]] = unescapeXml(m[2]);
  const outer = xml.replace(/<request>.*<\/request>/s, '').replace(/<response>.*<\/response>/s, '');
  return {
    isSuccess: leaf('is_success', outer),
    error: leaf('error', outer),
    fields,
    sign: leaf('sign', outer),
    signType: leaf('sign_type', outer),
  };
}

export function verifyMapiAnswer(target: SandboxTarget, parsed: MapiParsed): boolean {
  if (!parsed.sign) return false;
  if (parsed.signType === 'MD5')
    return parsed.sign === mapiMd5Sign(parsed.fields, target.credentials.mapi.md5Key);
  if (parsed.signType !== 'RSA' && parsed.signType !== 'RSA2') return false;
  return rsaVerify(
    mapiSignContent(parsed.fields),
    parsed.sign,
    loadPublicKey(target.credentials.mapi.alipayPublicKey),
    parsed.signType,
  );
}
