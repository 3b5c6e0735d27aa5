/**
 * The built switch as a child process, for tests that SIGKILL it. It is built into a private folder under
 * var/ (not dist/, which other suites may be running from while this one builds), next to node_modules so
 * the build resolves its packages as dist/ does.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const REPO = resolve(__dirname, '../..');

export async function buildSwitch(label: string): Promise<{ main: string; remove(): void }> {
  const outDir = join(REPO, 'var', `test-build-${label}-${process.pid}`);
  const swc = join(REPO, 'node_modules', '.bin', 'swc');
  await new Promise<void>((done, fail) =>
    execFile(
      swc,
      [
        'src',
        'libs',
        '-d',
        outDir,
        '--copy-files',
        '--ignore',
        '**/*.spec.ts',
        '--config-file',
        '.swcrc',
        '-q',
      ],
      { cwd: REPO, timeout: 120_000 },
      (error, _stdout, stderr) =>
        error ? fail(new Error(`swc build failed: ${error.message}\n${stderr}`)) : done(),
    ),
  );
  return {
    main: join(outDir, 'src', 'main.js'),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

export interface SwitchChild {
  readonly child: ChildProcess;
  readonly logs: string[];
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
  const started = await new Promise<{ iso: Array<{ dialect: string; port: number }> }>((done, fail) => {
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
      if (!line.includes('"switch started"')) return;
      clearTimeout(timer);
      done(JSON.parse(line) as { iso: Array<{ dialect: string; port: number }> });
    });
  });
  return {
    child,
    logs,
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
