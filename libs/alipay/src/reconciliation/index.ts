// Alipay's reconciliation files, per channel: streaming parsers for the switch, writers for the sandbox.
export * from './statement-line';
export * from './ams-transaction-items';
export * from './mapi-transaction-file';
export * from './openapi-trade-bill';
export * from './openapi-bill-url';
export * from './ams-settlement';
