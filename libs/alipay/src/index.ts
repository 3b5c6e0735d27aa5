// @switch/alipay: the WalletChannel port, its three adapters, money and signing helpers, and the sandbox.

export * from './channel.port';
export type { AmsConfig, OpenapiConfig, MapiConfig, ChannelConfig } from './config';
export { ChannelConfigError } from './config';
export { createChannel } from './create-channel';
export { AmsChannel } from './ams/ams.client';
export { OpenapiChannel } from './openapi/openapi.client';
export { MapiChannel } from './mapi/mapi.client';
export { AMS_FAILURE_REASONS } from './ams/ams.codes';
export { OPENAPI_FAILURE_REASONS } from './openapi/openapi.codes';
export { MAPI_FAILURE_REASONS } from './mapi/mapi.codes';
export { FAILURE_MESSAGES } from './outcome';
export {
  CURRENCIES,
  currencyByAlpha,
  currencyByNumeric,
  formatMajor,
  parseMajorToMinor,
  MoneyFormatError,
} from './money';
export type { CurrencyInfo } from './money';
export * from './signing';
export * from './sandbox';
export * from './notify';
export * from './reconciliation';
