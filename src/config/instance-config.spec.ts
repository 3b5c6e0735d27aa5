import { hostname } from 'node:os';
import { paymentsConfigFrom } from '../payments/delivery/payments-config';
import { loadConfig } from './app-config';
import { problemsOf } from './config-problems.testing';

describe('INSTANCE_ID and LEASE_MS', () => {
  it('defaults to host and pid, and a 15 s lease, handed to the payments engine', () => {
    const config = loadConfig({});
    expect(config.instance.id).toMatch(new RegExp(`-${process.pid}$`));
    expect(config.instance.id).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(hostname().replace(/[^A-Za-z0-9._-]/g, '-')).toContain(config.instance.id.slice(0, -`-${process.pid}`.length));
    expect(config.instance.leaseMs).toBe(15_000);
    const engine = paymentsConfigFrom(config);
    expect(engine.instanceId).toBe(config.instance.id);
    expect(engine.leaseMs).toBe(15_000);
  });

  it('takes a chosen id and lease', () => {
    const config = loadConfig({ INSTANCE_ID: 'switch-1.pod_a', LEASE_MS: '5000' });
    expect(config.instance).toEqual({ id: 'switch-1.pod_a', leaseMs: 5_000 });
  });

  it('refuses an id that could not name an owner column value, and a lease out of range', () => {
    expect(problemsOf({ INSTANCE_ID: 'switch 1' })).toMatch(/INSTANCE_ID must be 1-64 letters/);
    expect(problemsOf({ INSTANCE_ID: 'x'.repeat(65) })).toMatch(/INSTANCE_ID must be 1-64/);
    expect(problemsOf({ LEASE_MS: '999' })).toMatch(/LEASE_MS must be >= 1000/);
    expect(problemsOf({ LEASE_MS: '600001' })).toMatch(/LEASE_MS must be <= 600000/);
    expect(problemsOf({ LEASE_MS: 'soon' })).toMatch(/LEASE_MS must be an integer/);
  });
});
