import { loadConfig } from '../config/app-config';
import { DEFAULT_WEBHOOK_BACKOFF_MS } from './merchant-api.config';

describe('merchant payment API settings', () => {
  it('default to 127.0.0.1:8587, a 5-minute skew window and a gateway timeout shorter than the merchant’s', () => {
    expect(loadConfig({}).merchantApi).toEqual({
      enabled: true,
      host: '127.0.0.1',
      port: 8587,
      clockSkewMs: 300_000,
      replyTimeoutMs: 15_000,
      merchantTimeoutMs: 60_000,
      maxBodyBytes: 65_536,
      webhookPollMs: 1_000,
      webhookBackoffMs: DEFAULT_WEBHOOK_BACKOFF_MS,
      webhookTimeoutMs: 10_000,
      webhookTargets: { allowPrivate: false },
    });
    // The merchant's timeout follows MERCHANT_TIMEOUT_MS; the reply timeout stays below it.
    const short = loadConfig({ MERCHANT_TIMEOUT_MS: '8000', GATEWAY_TIMEOUT_MS: '12000' }).merchantApi;
    expect(short).toMatchObject({ merchantTimeoutMs: 8_000, replyTimeoutMs: 4_000 });
    expect(loadConfig({ PAY_API_WEBHOOK_BACKOFF_MS: '1000, 2000' }).merchantApi.webhookBackoffMs).toEqual([1_000, 2_000]);
    expect(loadConfig({ PAY_API_WEBHOOK_ALLOWED_HOSTS: 'hooks.example.com, .Merchant.example', PAY_API_WEBHOOK_ALLOW_PRIVATE: 'true' }).merchantApi.webhookTargets).toEqual({
      allowPrivate: true,
      allowedHosts: ['hooks.example.com', '.merchant.example'],
    });
  });

  it('refuse to start on a bad value, naming the setting', () => {
    expect(() => loadConfig({ PAY_API_PORT: '70000' })).toThrow(/PAY_API_PORT/);
    expect(() => loadConfig({ PAY_API_CLOCK_SKEW_MS: '10' })).toThrow(/PAY_API_CLOCK_SKEW_MS/);
    expect(() => loadConfig({ PAY_API_REPLY_TIMEOUT_MS: '60000' })).toThrow(/PAY_API_REPLY_TIMEOUT_MS .* shorter than PAY_API_MERCHANT_TIMEOUT_MS/);
    expect(() => loadConfig({ PAY_API_MERCHANT_TIMEOUT_MS: '80000' })).toThrow(/PAY_API_MERCHANT_TIMEOUT_MS .* shorter than GATEWAY_TIMEOUT_MS/);
    expect(() => loadConfig({ PAY_API_WEBHOOK_BACKOFF_MS: '1000,soon' })).toThrow(/PAY_API_WEBHOOK_BACKOFF_MS/);
    expect(() => loadConfig({ PAY_API_MAX_BODY_BYTES: '10' })).toThrow(/PAY_API_MAX_BODY_BYTES/);
    expect(() => loadConfig({ PAY_API_ENABLED: 'maybe' })).toThrow(/PAY_API_ENABLED/);
    expect(() => loadConfig({ PAY_API_WEBHOOK_ALLOWED_HOSTS: 'hooks.example.com,http://evil' })).toThrow(/PAY_API_WEBHOOK_ALLOWED_HOSTS/);
    expect(() => loadConfig({ PAY_API_WEBHOOK_ALLOW_PRIVATE: 'sure' })).toThrow(/PAY_API_WEBHOOK_ALLOW_PRIVATE/);
  });
});
