/**
 * The built switch as a child process that can be SIGKILLed and started again: for the chaos run and the
 * crash tests. It resolves once the switch logs "switch started" (its listeners' ports are in that line).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface SwitchChild {
  readonly child: ChildProcess;
  readonly logs: string[];
  /** The switch's HTTP base URL (health, metrics, the admin API). */
  readonly httpUrl: string;
  port(dialect: 'ascii' | 'nac-bcd'): number;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `node <main>` with exactly `env` (plus PATH) and resolves once it logs "switch started". */
export async function startSwitchChild(
  main: string,
  env: Record<string, string>,
  startTimeoutMs = 30_000,
): Promise<SwitchChild> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const started = await new Promise<{ http: string; iso: Array<{ dialect: string; port: number }> }>(
    (done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`switch did not start:\n${logs.join('\n')}`)),
        startTimeoutMs,
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`switch exited with ${code} before starting:\n${logs.join('\n')}`));
      });
      createInterface({ input: child.stdout }).on('line', (line) => {
        logs.push(line);
        if (logs.length > 2_000) logs.splice(0, 1_000); // a long-lived child keeps only its recent lines
        if (!line.includes('"switch started"')) return;
        clearTimeout(timer);
        done(JSON.parse(line) as { http: string; iso: Array<{ dialect: string; port: number }> });
      });
    },
  );
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
