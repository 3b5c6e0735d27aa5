import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs the fixture suite's files matching `pattern` through Jest with the summary reporter. */
function runFixture(pattern: string): { lastLine: string; status: number | null } {
  const config = join(__dirname, '..', 'fixtures', 'skipped-suite', 'jest.config.js');
  const run = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--ci', '--config', config, pattern],
    {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    },
  );
  const lines = run.stdout.trim().split('\n');
  return { lastLine: lines[lines.length - 1], status: run.status };
}

describe('summary reporter', () => {
  it('counts a skipped test as failed in the closing line and fails the run', () => {
    const run = runFixture('skipped\\.fixture');
    expect(run.lastLine).toBe('1 passed, 1 failed');
    expect(run.status).not.toBe(0);
  });

  it('fails the run when a focused test leaves another one of its file unrun', () => {
    const run = runFixture('focused\\.fixture');
    expect(run.lastLine).toBe('1 passed, 1 failed');
    expect(run.status).not.toBe(0);
  });
});
