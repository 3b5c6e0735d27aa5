import { loadConfig } from '../../config/app-config';
import { problemsOf } from '../../config/config-problems.testing';

describe('H5 settings', () => {
  it('default to no demo, orders booked under H5ORDERS', () => {
    expect(loadConfig({}).h5).toEqual({ terminalId: 'H5ORDERS' });
  });

  it('H5_DEMO=true serves the demo for the Open Platform demo merchant with the embedded sandbox shim', () => {
    expect(loadConfig({ H5_DEMO: 'true' }).h5.demo).toEqual({ host: '127.0.0.1', port: 8590, merchantId: 'MERCHANT0000002' });
    expect(loadConfig({ H5_DEMO: 'true', ALIPAY_SANDBOX: 'external', H5_AP_JS_URL: 'http://10.0.0.5:8585/sandbox/app/ap.js' }).h5.demo?.apJsUrl).toBe(
      'http://10.0.0.5:8585/sandbox/app/ap.js',
    );
  });

  it('refuses to start on a bad value, naming the setting', () => {
    expect(problemsOf({ H5_TERMINAL_ID: 'H5' })).toContain('H5_TERMINAL_ID');
    expect(problemsOf({ H5_DEMO: 'true', H5_DEMO_PORT: '70000' })).toContain('H5_DEMO_PORT');
    expect(problemsOf({ H5_DEMO: 'true', H5_DEMO_MERCHANT: 'not a merchant!' })).toContain('H5_DEMO_MERCHANT');
    expect(problemsOf({ H5_DEMO: 'true', ALIPAY_SANDBOX: 'external' })).toContain('H5_AP_JS_URL');
    expect(problemsOf({ H5_DEMO: 'true', H5_AP_JS_URL: 'javascript:alert(1)' })).toContain('H5_AP_JS_URL');
    expect(problemsOf({ H5_DEMO: 'maybe' })).toContain('H5_DEMO');
  });

  it('production refuses the demo: its routes take no credentials', () => {
    const production = { NODE_ENV: 'production', H5_DEMO: 'true', H5_AP_JS_URL: 'https://example.com/ap.js' };
    expect(problemsOf(production)).toMatch(/H5_DEMO must be false when NODE_ENV=production/);
  });
});
