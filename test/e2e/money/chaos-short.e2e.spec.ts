import { DEFAULT_BEHAVIOURS, runChaos } from '../../../tools/chaos/run-chaos';
import { buildSwitch } from '../../support/switch-process';

/**
 * The short form of `npm run chaos`: the switch is SIGKILLed under load a few times, and afterwards every
 * purchase agrees with the sandbox ledger. The full run (20 rounds and more) is recorded in
 * docs/reliability.md.
 */
describe('the switch killed under load (short chaos run: MariaDB, Kafka when configured)', () => {
  let build: { main: string; remove(): void };

  beforeAll(async () => {
    build = await buildSwitch('chaos');
  }, 120_000);

  afterAll(() => build?.remove());

  it('loses no money: every printed 00 is paid at Alipay, nothing else is, nothing is left unfinished, reconciliation finds no difference', async () => {
    const lines: string[] = [];
    const report = await runChaos({
      main: build.main,
      rounds: 4,
      killEveryMs: [1_500, 2_500],
      adminDatabaseUrl: process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
      kafkaBrokers: process.env.KAFKA_BROKERS || undefined,
      terminals: 12,
      merchantTimeoutMs: 3_000,
      gatewayTimeoutMs: 5_000,
      settleTimeoutMs: 60_000,
      behaviours: DEFAULT_BEHAVIOURS,
      log: (line) => lines.push(line),
    });
    expect(report.kills).toBe(4);
    expect(report.verdict.counts['printed 00']).toBeGreaterThan(0);
    expect(report.verdict.counts['reversed (no answer)']).toBeGreaterThan(0);
    expect(report.verdict.mismatches).toEqual([]);
    // Reconciling the run's days against the sandbox's files (every channel used) finds nothing.
    expect(report.reconciliation.runs.map((r) => r.channel).sort()).toEqual(
      expect.arrayContaining(['ams', 'mapi', 'openapi']),
    );
    expect(report.reconciliation.runs.every((r) => r.outcome === 'completed')).toBe(true);
    expect(report.reconciliation.differences).toBe(0);
  }, 240_000);
});
