/**
 * Smart-restaurant H5 settings (docs/merchant-h5.md, docs/operations.md "Merchant H5"). Read with the rest
 * of the config, so a bad value stops the start with a message naming the setting.
 */
import type { EnvReader } from '../../config/env-reader';

export interface H5Config {
  /** The ordering point H5 payments are booked under, in place of a terminal id (8 letters or digits). */
  readonly terminalId: string;
  /** The demo: its pages and the /pay/v1 H5 routes on their own small HTTP server. */
  readonly demo?: H5DemoConfig;
}

export interface H5DemoConfig {
  readonly host: string;
  readonly port: number;
  /** The demo pages order for this merchant (it must route to the Open Platform). */
  readonly merchantId: string;
  /** Where the page loads the Alipay JSAPI (window.ap); undefined: the embedded sandbox's /sandbox/app/ap.js. */
  readonly apJsUrl?: string;
}

export function readH5Config(read: EnvReader, context: { production: boolean; embeddedSandbox: boolean }): H5Config {
  const terminalId = read.string('H5_TERMINAL_ID', 'H5ORDERS');
  if (!/^[A-Za-z0-9]{8}$/.test(terminalId)) read.problem(`H5_TERMINAL_ID must be 8 letters or digits, got "${terminalId}"`);
  if (!read.boolean('H5_DEMO', false)) return { terminalId };
  // The demo's /pay/v1 routes answer whoever asks, as the demo merchant: never on a production switch.
  if (context.production) read.problem('H5_DEMO must be false when NODE_ENV=production (its routes take no credentials)');
  const apJsUrl = read.optionalString('H5_AP_JS_URL');
  if (apJsUrl === undefined && !context.embeddedSandbox) {
    read.problem('H5_DEMO needs ALIPAY_SANDBOX=embedded or H5_AP_JS_URL (where the page loads window.ap from)');
  }
  if (apJsUrl !== undefined && !/^https?:\/\/\S+$/.test(apJsUrl)) read.problem(`H5_AP_JS_URL must be an http(s) URL, got "${apJsUrl}"`);
  const merchantId = read.string('H5_DEMO_MERCHANT', 'MERCHANT0000002');
  if (!/^[A-Za-z0-9]{1,15}$/.test(merchantId)) read.problem(`H5_DEMO_MERCHANT must be a merchant id (1-15 letters or digits), got "${merchantId}"`);
  return {
    terminalId,
    demo: {
      host: read.string('H5_DEMO_HOST', '127.0.0.1'),
      port: read.port('H5_DEMO_PORT', 8590),
      merchantId,
      ...(apJsUrl !== undefined ? { apJsUrl } : {}),
    },
  };
}
