/**
 * What the whole-switch benchmarks share: the switch and the sandbox as child processes on a throw-away
 * MariaDB database, and the operating system's accounting of a process (CPU time, resident memory), read
 * from /proc so it counts every thread (libuv's pool signs there) and nothing of the load generator.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createConnection } from 'mysql2/promise';

const DIST = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Starts a node script of dist/ and resolves once a stdout line contains `ready`. */
export async function startProcess(
  script: string,
  env: Record<string, string>,
  ready: string,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, join(DIST, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes(ready)) resolve();
    });
  });
  return child;
}

function nodeArgsOf(variable: string): string[] {
  return (process.env[variable] ?? '').split(' ').filter(Boolean);
}

export interface SwitchUnderTest {
  /** The (first) switch process (for /proc accounting). */
  pid: number;
  isoPort: number;
  /** Every switch instance's process and ascii port, the first one first (`instances` of startSwitch). */
  pids: number[];
  isoPorts: number[];
  /** The Alipay sandbox's process. */
  sandboxPid: number;
  databaseUrl: string;
  /** Registers ascii terminals of MERCHANT0000001. */
  addTerminals(ids: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The switch (MySQL, AMS channel, ascii listener) and the sandbox as separate processes, on a database
 * created for the run and dropped at `stop()`. `BENCH_PROFILE=<dir>` writes a CPU profile of the switch;
 * `BENCH_SWITCH_NODE_ARGS` and `BENCH_SANDBOX_NODE_ARGS` add node options to the switch processes or the
 * sandbox only (V8 flags to compare, `--cpu-prof` of the sandbox).
 * With `instances` > 1, that many switch processes share the database (each its own INSTANCE_ID and ports);
 * the first starts alone, since it runs the migrations.
 */
export async function startSwitch(
  mysqlUrl: string,
  extraEnv: Record<string, string> = {},
  instances = 1,
): Promise<SwitchUnderTest> {
  const database = `bench_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const admin = await createConnection(mysqlUrl);
  await admin.query(`CREATE DATABASE \`${database}\``);
  const databaseUrl = mysqlUrl.replace(/\/[^/?]+(\?.*)?$/, `/${database}`);
  const sandboxPort = await freePort();
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    await admin.query(`DROP DATABASE \`${database}\``);
    await admin.end();
  };
  try {
    const sandbox = await startProcess('tools/sandbox.js', { SANDBOX_PORT: String(sandboxPort) }, 'listening', nodeArgsOf('BENCH_SANDBOX_NODE_ARGS'));
    children.push(sandbox);
    const switches: Array<{ pid: number; isoPort: number }> = [];
    // A free port may be taken by another process before the switch binds it: then it starts again on others.
    const startInstance = async (n: number, attempt = 1): Promise<{ pid: number; isoPort: number }> => {
      const [isoPort, httpPort, notifyPort] = [await freePort(), await freePort(), await freePort()];
      const switchProcess = await startProcess(
        'src/main.js',
        {
          DATABASE_URL: databaseUrl,
          ALIPAY_SANDBOX: 'external',
          ALIPAY_SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
          ISO_HOST: '127.0.0.1',
          ISO_ASCII_PORT: String(isoPort),
          ISO_NAC_ENABLED: 'false',
          HTTP_PORT: String(httpPort),
          HTTP_HOST: '127.0.0.1',
          NOTIFY_HTTP_HOST: '127.0.0.1',
          NOTIFY_HTTP_PORT: String(notifyPort),
          PAY_API_PORT: '0',
          INSTANCE_ID: `bench-${n}`,
          LOG_LEVEL: 'info',
          ISO_MAX_IN_FLIGHT: '256',
          ...extraEnv,
        },
        '"switch started"',
        [
          ...nodeArgsOf('BENCH_SWITCH_NODE_ARGS'),
          ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
        ],
      ).catch((error: unknown) => {
        if (attempt >= 3) throw error;
        return undefined;
      });
      if (!switchProcess) return startInstance(n, attempt + 1);
      children.push(switchProcess);
      return { pid: switchProcess.pid!, isoPort };
    };
    for (let n = 1; n <= instances; n += 1) switches.push(await startInstance(n));
    const [{ pid, isoPort }] = switches;
    return {
      pid,
      isoPort,
      pids: switches.map((w) => w.pid),
      isoPorts: switches.map((w) => w.isoPort),
      sandboxPid: sandbox.pid!,
      databaseUrl,
      addTerminals: async (ids) => {
        const now = new Date();
        const db = await createConnection(databaseUrl);
        for (let i = 0; i < ids.length; i += 1000) {
          await db.query(
            'INSERT INTO terminals (terminal_id, merchant_id, dialect, status, merchant_timeout_ms, created_at, updated_at, version) VALUES ?',
            [ids.slice(i, i + 1000).map((id) => [id, 'MERCHANT0000001', 'ascii', 'active', 60_000, now, now, 1])],
          );
        }
        await db.end();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

let clockTicks: number | undefined;

/** User + system CPU time of a process, all its threads, in ms (/proc/<pid>/stat fields 14 and 15). */
export function processCpuMs(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

/** The local MariaDB/MySQL server's process, if one runs on this machine (its CPU is shown beside the switch's). */
export function databaseServerPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (/^(mariadbd|mysqld)$/.test(readFileSync(`/proc/${entry}/comm`, 'latin1').trim())) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** Resident memory of a process in bytes (VmRSS of /proc/<pid>/status). */
export function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** The whole machine's CPU time so far, busy and all, in clock ticks (first line of /proc/stat). */
export function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'latin1').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  // idle and iowait are the fourth and fifth fields.
  return { busy: total - fields[3] - fields[4], total };
}

/** The share of the machine's CPUs that was busy since `since` (all processes, ours included). */
export function machineBusy(since: { busy: number; total: number }): number {
  const now = machineTicks();
  return (now.busy - since.busy) / Math.max(1, now.total - since.total);
}

const floorKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
// About the size of an AMS pay request body and its signed header line.
const floorContent = `POST /ams/api/v1/payments/pay\nSANDBOX_AMS_1.2026-12-05T07:00:00Z.${randomBytes(240).toString('base64')}`;

/**
 * The crypto floor of one purchase: one RSA-2048 SHA256 signature plus one verify with node:crypto, as
 * CPU ms of this process per pair (median of `rounds`), so other load on the machine does not count.
 */
export function cryptoFloorMs(rounds = 5, perRound = 100): number {
  const perPair: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = process.cpuUsage();
    for (let i = 0; i < perRound; i++) {
      const signature = createSign('RSA-SHA256').update(floorContent).sign(floorKeys.privateKey);
      if (!createVerify('RSA-SHA256').update(floorContent).verify(floorKeys.publicKey, signature)) {
        throw new Error('crypto floor: verify failed');
      }
    }
    const used = process.cpuUsage(started);
    perPair.push((used.user + used.system) / 1000 / perRound);
  }
  return perPair.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}
