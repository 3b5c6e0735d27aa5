import { randomBytes } from 'node:crypto';
import { loadConfig } from './app-config';
import { problemsOf } from './config-problems.testing';
import { alipayEndpointProblem, DEFAULT_ALIPAY_ENDPOINT_HOSTS } from './security-config';

const DEMO_HASH_KEY = '5f0c6a1f9b8e4d2c7a3e1b0d9c8f7e6a5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a';
const DEMO_DATA_KEY = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const own = () => randomBytes(32).toString('hex');


describe('NODE_ENV=production guard', () => {
  const production = { NODE_ENV: 'production', PAYMENT_CODE_HASH_KEY: own(), DATA_ENCRYPTION_KEY: own() };

  it('refuses the demo keys by value, not only when they are missing', () => {
    const problems = problemsOf({ ...production, PAYMENT_CODE_HASH_KEY: DEMO_HASH_KEY, DATA_ENCRYPTION_KEY: DEMO_DATA_KEY.toUpperCase() });
    expect(problems).toMatch(/PAYMENT_CODE_HASH_KEY is the demo key/);
    expect(problems).toMatch(/DATA_ENCRYPTION_KEY is the demo key/);
  });

  it('refuses demo seeding and the embedded sandbox, and defaults both off', () => {
    const problems = problemsOf({ ...production, SEED_DEMO_DATA: 'true', ALIPAY_SANDBOX: 'embedded' });
    expect(problems).toMatch(/SEED_DEMO_DATA must be false when NODE_ENV=production/);
    expect(problems).toMatch(/ALIPAY_SANDBOX=embedded is refused when NODE_ENV=production/);
    const config = loadConfig(production);
    expect(config.seedDemoData).toBe(false);
    expect(config.sandbox.mode).toBe('off');
    expect(config.security.alipayEndpointHosts).toEqual(DEFAULT_ALIPAY_ENDPOINT_HOSTS);
  });

  it('refuses an external sandbox that is not https on an allowed host', () => {
    expect(problemsOf({ ...production, ALIPAY_SANDBOX: 'external', ALIPAY_SANDBOX_URL: 'http://127.0.0.1:8585' })).toMatch(
      /ALIPAY_SANDBOX_URL: "http:\/\/127.0.0.1:8585" is not https/,
    );
    expect(
      loadConfig({ ...production, ALIPAY_SANDBOX: 'external', ALIPAY_SANDBOX_URL: 'https://sandbox.acq.example', ALIPAY_ENDPOINT_HOSTS: 'sandbox.acq.example' })
        .sandbox.mode,
    ).toBe('external');
    expect(problemsOf({ ...production, ALIPAY_ENDPOINT_HOSTS: 'ok.example, bad/host' })).toMatch(/ALIPAY_ENDPOINT_HOSTS must be/);
  });

  it('keeps the demo working outside production', () => {
    const config = loadConfig({});
    expect(config.seedDemoData).toBe(true);
    expect(config.sandbox.mode).toBe('embedded');
    expect(config.security.alipayEndpointHosts).toBeUndefined();
  });
});

describe('alipayEndpointProblem', () => {
  const hosts = ['open-sea-global.alipay.com'];
  it.each([
    ['https://open-sea-global.alipay.com', undefined],
    ['https://OPEN-SEA-GLOBAL.alipay.com/ams/api', undefined],
    ['http://open-sea-global.alipay.com', /is not https/],
    ['https://open-sea-global.alipay.com.evil.example', /is not in ALIPAY_ENDPOINT_HOSTS/],
    ['https://evil.example/?open-sea-global.alipay.com', /is not in ALIPAY_ENDPOINT_HOSTS/],
    ['sandbox', /is not a URL/],
  ])('%s', (url, expected) => {
    const problem = alipayEndpointProblem(url, hosts);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});
