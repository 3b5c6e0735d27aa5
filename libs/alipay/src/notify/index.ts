export * from './notice';
export { amsNotifyProtocol } from '../ams/ams.notify';
export { openapiNotifyProtocol, APP_AUTH_CANCELLED } from '../openapi/openapi.notify';
export { mapiNotifyProtocol, mapiNotifyVerify } from '../mapi/mapi.notify';
export type { NotifyVerifyAnswer } from '../mapi/mapi.notify';
export { requestAppAuthToken } from '../openapi/openapi.auth-token';
export type { AppAuthGrant, AppAuthTokens, AppAuthTokenResult } from '../openapi/openapi.auth-token';
