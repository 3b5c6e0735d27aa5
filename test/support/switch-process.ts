/**
 * The built switch as a child process, for tests that SIGKILL it. It is built into a private folder under
 * var/ (not dist/, which other suites may be running from while this one builds), next to node_modules so
 * the build resolves its packages as dist/ does.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

export { startSwitchChild, type SwitchChild } from '../../tools/chaos/switch-child';
