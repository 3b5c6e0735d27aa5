import { SandboxContext } from '../context';
import { gateway, ok, OpenapiAnswer } from '../openapi/openapi.answers';
import { asObject, JsonObject, parseObject, text } from '../json-read';

export const TOKEN_APP_METHOD = 'alipay.open.auth.token.app';

/** alipay.open.auth.token.app: grant_type authorization_code (with code) or refresh_token. */
export function tokenAppAnswer(ctx: SandboxContext, params: Record<string, string>): OpenapiAnswer {
  const biz = parseObject(params.biz_content ?? '');
  const grantType = text(biz?.grant_type) ?? '';
  const value = grantType === 'refresh_token' ? text(biz?.refresh_token) : text(biz?.code);
  const result = ctx.isv.exchange(grantType, value);
  ctx.log({
    event: 'api',
    protocol: 'openapi',
    method: TOKEN_APP_METHOD,
    grantType,
    ok: typeof result !== 'string',
  });
  switch (result) {
    case 'invalid-code':
      return gateway('40002', 'isv.code-invalid', '授权码code无效');
    case 'invalid-refresh':
      return gateway('40002', 'isv.refresh-token-invalid', '刷新令牌refresh_token无效');
    case 'invalid-grant':
      return gateway('40002', 'isv.grant-type-invalid', '不支持的grant_type');
    default:
      return ok({
        app_auth_token: result.appAuthToken,
        app_refresh_token: result.appRefreshToken,
        auth_app_id: result.authAppId,
        user_id: result.userId,
        expires_in: String(result.expiresIn),
        re_expires_in: String(result.reExpiresIn),
      });
  }
}

/** Open Platform's answer to a trade call with an app_auth_token that is unknown, revoked or expired. */
export function appAuthTokenRefusal(
  ctx: SandboxContext,
  appAuthToken: string | undefined,
  biz: JsonObject | undefined,
): OpenapiAnswer | undefined {
  if (ctx.isv.appTokenAccepted(appAuthToken, text(biz?.store_id))) return undefined;
  return {
    node: {
      code: '20001',
      msg: 'Insufficient Token Permissions',
      sub_code: 'aop.invalid-app-auth-token',
      sub_msg: '无效的应用授权令牌',
    },
    resultCode: 'aop.invalid-app-auth-token',
  };
}

/** AMS's answer to a call whose Agent-Token is unknown, revoked or expired. */
export function agentTokenRefusal(
  ctx: SandboxContext,
  agentToken: string | undefined,
  body: JsonObject | undefined,
): { code: string; message: string } | undefined {
  const merchant = asObject(asObject(body?.order)?.merchant);
  if (ctx.isv.agentTokenAccepted(agentToken, text(merchant?.referenceMerchantId))) return undefined;
  return { code: 'INVALID_ACCESS_TOKEN', message: 'The access token is invalid, expired or revoked.' };
}

/** An ISV trade's seller is the authorizing merchant (its user_id), which notifications name as seller_id. */
export function sellerOfToken(ctx: SandboxContext, appAuthToken: string | undefined): { seller_id?: string } {
  const userId = appAuthToken === undefined ? undefined : ctx.isv.userOfAppToken(appAuthToken);
  return userId ? { seller_id: userId } : {};
}
