import { loadConfig } from '../config/app-config';

describe('notification settings', () => {
  it('default to a listener on 8586 that pay calls announce on 127.0.0.1', () => {
    const config = loadConfig({});
    expect(config.notifications).toMatchObject({
      enabled: true,
      host: '0.0.0.0',
      port: 8586,
      maxBodyBytes: 65_536,
      sandboxTimeScale: 1,
    });
    expect(config.notifyBaseUrl).toBe('http://127.0.0.1:8586');
    expect(loadConfig({ NOTIFY_HTTP_PORT: '0' }).notifyBaseUrl).toBeUndefined();
    expect(loadConfig({ NOTIFY_BASE_URL: 'https://switch.example/alipay' }).notifyBaseUrl).toBe(
      'https://switch.example/alipay',
    );
    expect(loadConfig({ SANDBOX_NOTIFY_SCALE_PERMILLE: '1' }).notifications.sandboxTimeScale).toBe(0.001);
  });

  it('refuse to start on a bad value, naming the setting', () => {
    expect(() => loadConfig({ NOTIFY_HTTP_PORT: '70000' })).toThrow(/NOTIFY_HTTP_PORT/);
    expect(() => loadConfig({ NOTIFY_MAX_BODY_BYTES: '10' })).toThrow(/NOTIFY_MAX_BODY_BYTES/);
    expect(() => loadConfig({ SANDBOX_NOTIFY_SCALE_PERMILLE: '2000' })).toThrow(
      /SANDBOX_NOTIFY_SCALE_PERMILLE/,
    );
    expect(() => loadConfig({ ISV_TOKEN_REFRESH_LEAD_MS: '5' })).toThrow(/ISV_TOKEN_REFRESH_LEAD_MS/);
  });
});
