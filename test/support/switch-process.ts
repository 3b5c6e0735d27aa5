import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface SwitchProcess {
  child: ChildProcess;
  httpUrl: string;
  port(dialect: 'ascii' | 'nac-bcd'): number;
  logs: string[];
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The built switch (`dist/`, made by `npm run build`, which scripts/test-all.sh runs first) as a child
 * process, so a test can SIGKILL it mid-flight and start it again on the same database.
 */
export async function spawnSwitch(env: Record<string, string>, startTimeoutMs = 30_000): Promise<SwitchProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (scripts/test-all.sh does)`);
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const started = await new Promise<{ http: string; iso: Array<{ dialect: string; port: number }> }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`switch did not start:\n${logs.join('')}`)), startTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`switch exited with ${code} before starting:\n${logs.join('')}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      logs.push(line);
      if (!line.includes('"switch started"')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as { http: string; iso: Array<{ dialect: string; port: number }> });
    });
  });
  return {
    child,
    logs,
    httpUrl: started.http,
    port: (dialect) => {
      const bound = started.iso.find((l) => l.dialect === dialect);
      if (!bound) throw new Error(`no ${dialect} listener`);
      return bound.port;
    },
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
