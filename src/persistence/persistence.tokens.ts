export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const UNIT_OF_WORK = Symbol('UNIT_OF_WORK');
export const SECRET_BOX = Symbol('SECRET_BOX');
export const SQL_SESSION = Symbol('SQL_SESSION');
/** Optional `(channel: WalletChannel) => WalletChannel` applied to every channel the merchant catalog builds (metrics). */
export const WALLET_CHANNEL_DECORATOR = Symbol('WALLET_CHANNEL_DECORATOR');
