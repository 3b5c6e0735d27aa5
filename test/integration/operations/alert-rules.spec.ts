/**
 * docker/prometheus/alerts.yml is checked and unit-tested with promtool (Debian's `prometheus` package;
 * .ci/run installs it). Without promtool this suite fails, never skips. It also checks that every alert
 * has a unit test and that every switch_* series a rule reads is one the switch exports.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '../../../src/logging/logger';
import type { UnitOfWork } from '../../../src/persistence/unit-of-work';
import { QueueGauges } from '../../../src/operations/metrics/queue-gauges';
import { SwitchMetrics } from '../../../src/operations/metrics/switch-metrics';

const run = promisify(execFile);
const DIR = join(__dirname, '../../../docker/prometheus');

async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: DIR });
    return stdout + stderr;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error('promtool is not installed: apt-get install -y prometheus (.ci/run does this)');
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe('Prometheus alert rules', () => {
  const rules = readFileSync(join(DIR, 'alerts.yml'), 'utf8');
  const tests = readFileSync(join(DIR, 'alerts.test.yml'), 'utf8');

  it('pass promtool check rules and check config', async () => {
    expect(await promtool('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: \d+ rules found/);
    expect(await promtool('check', 'config', 'prometheus.yml')).toMatch(/is valid prometheus config/);
  });

  it('pass their unit tests (promtool test rules)', async () => {
    expect(await promtool('test', 'rules', 'alerts.test.yml')).toMatch(/SUCCESS/);
  });

  it('each alert has a unit test that expects it to fire', () => {
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    for (const alert of alerts)
      expect(tests).toMatch(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n\\s+- exp_labels`));
  });

  it('read only switch_* series the switch exports', async () => {
    const metrics = new SwitchMetrics();
    new QueueGauges(metrics, {} as UnitOfWork, undefined, createLogger('silent'));
    const exported = new Set(
      (await metrics.registry.getMetricsAsJSON()).flatMap((m) =>
        String(m.type) === 'histogram' ? [m.name, `${m.name}_count`, `${m.name}_sum`, `${m.name}_bucket`] : [m.name],
      ),
    );
    const read = new Set([...rules.matchAll(/\b((?:switch|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1]));
    expect([...read].filter((name) => !exported.has(name))).toEqual([]);
  });
});
