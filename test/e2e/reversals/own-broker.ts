/**
 * A Kafka broker of the test's own (docker/kafka-local/kafka.sh on its own ports and data dir), which the
 * test stops and starts to make outages; the shared broker other suites use is never touched.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const KAFKA_SH = resolve(__dirname, '../../../docker/kafka-local/kafka.sh');

export class OwnBroker {
  readonly dataDir: string;
  readonly brokers: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(port: number, controllerPort: number) {
    this.dataDir = mkdtempSync(join(tmpdir(), 'reversals-kafka-'));
    this.brokers = `127.0.0.1:${port}`;
    this.env = {
      ...process.env,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      KAFKA_DATA_DIR: this.dataDir,
      KAFKA_NUM_PARTITIONS: '3',
    };
  }

  up(): Promise<void> {
    return this.run('up');
  }

  down(): Promise<void> {
    return this.run('down');
  }

  /** Stops it (if running) and deletes its data. */
  async remove(): Promise<void> {
    await this.down().catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private run(command: 'up' | 'down'): Promise<void> {
    return new Promise((done, fail) =>
      execFile('bash', [KAFKA_SH, command], { env: this.env, timeout: 100_000 }, (error, _stdout, stderr) =>
        error ? fail(new Error(`kafka.sh ${command} failed: ${error.message}\n${stderr}`)) : done(),
      ),
    );
  }
}
