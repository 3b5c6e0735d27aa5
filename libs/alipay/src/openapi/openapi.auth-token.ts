import type { OpenapiConfig } from '../config';
import { asRecord, parseJsonRecord, str } from '../json';
import { secondsOf } from '../notify/notice';
import { beijingDateTime } from '../time';
import { OpenapiSigner } from './openapi.signer';

const METHOD = 'alipay.open.auth.token.app';
const NODE = 'alipay_open_auth_token_app_response';

export type AppAuthGrant =
  { grantType: 'authorization_code'; code: string } | { grantType: 'refresh_token'; refreshToken: string };

export interface AppAuthTokens {
  appAuthToken: string;
  appRefreshToken?: string;
  authAppId: string;
  userId?: string;
  expiresInSeconds?: number;
  reExpiresInSeconds?: number;
}

export type AppAuthTokenResult = { ok: true; tokens: AppAuthTokens } | { ok: false; code: string };

/**
 * alipay.open.auth.token.app as the ISV's application: exchanges a merchant's app_auth_code (single use)
 * or refreshes with app_refresh_token. The answer must be signed by Alipay; anything else is an error
 * code, never a token.
 */
export async function requestAppAuthToken(
  config: Pick<
    OpenapiConfig,
    'gatewayUrl' | 'appId' | 'merchantPrivateKey' | 'alipayPublicKey' | 'signType' | 'timeoutMs'
  >,
  grant: AppAuthGrant,
  now: Date = new Date(),
): Promise<AppAuthTokenResult> {
  const signer = new OpenapiSigner(
    config.merchantPrivateKey,
    config.alipayPublicKey,
    config.signType ?? 'RSA2',
  );
  const biz =
    grant.grantType === 'authorization_code'
      ? { grant_type: grant.grantType, code: grant.code }
      : { grant_type: grant.grantType, refresh_token: grant.refreshToken };
  const params: Record<string, string> = {
    app_id: config.appId,
    method: METHOD,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: signer.signType,
    timestamp: beijingDateTime(now),
    version: '1.0',
    biz_content: JSON.stringify(biz),
  };
  params.sign = await signer.sign(params);
  let text: string;
  try {
    const response = await fetch(config.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    text = await response.text();
  } catch {
    return { ok: false, code: 'NETWORK' };
  }
  const parsed = parseJsonRecord(text);
  const node = asRecord(parsed?.[NODE]) ?? asRecord(parsed?.error_response);
  const sign = str(parsed?.sign);
  if (!node || !sign || !signer.verifyResponse(text, METHOD, sign))
    return { ok: false, code: 'BAD_SIGNATURE' };
  const appAuthToken = str(node.app_auth_token);
  const authAppId = str(node.auth_app_id);
  if (str(node.code) !== '10000' || !appAuthToken || !authAppId) {
    return { ok: false, code: str(node.sub_code) ?? str(node.code) ?? 'UNKNOWN' };
  }
  const refresh = str(node.app_refresh_token);
  const userId = str(node.user_id);
  const expiresInSeconds = secondsOf(node.expires_in);
  const reExpiresInSeconds = secondsOf(node.re_expires_in);
  return {
    ok: true,
    tokens: {
      appAuthToken,
      authAppId,
      ...(refresh ? { appRefreshToken: refresh } : {}),
      ...(userId ? { userId } : {}),
      ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
      ...(reExpiresInSeconds !== undefined ? { reExpiresInSeconds } : {}),
    },
  };
}
