import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(__dirname, 'fixtures', 'layers');

/** Runs the project's layer rules (what `npm run lint` runs) over a tree that breaks each of them once. */
function cruiseFixture(): Promise<{ code: number; output: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
        'src',
        'libs',
        '--config',
        join(ROOT, '.dependency-cruiser.js'),
        '--output-type',
        'err',
      ],
      { cwd: FIXTURE, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    ),
  );
}

describe('layer rules (dependency-cruiser, run by npm run lint)', () => {
  let result: { code: number; output: string };

  beforeAll(async () => {
    result = await cruiseFixture();
  }, 130_000);

  it('fails the lint on a violating import', () => {
    expect(result.code).not.toBe(0);
  });

  it.each([
    ['domain-stays-pure', 'src/payments/domain/reaches-application.ts'],
    ['domain-stays-pure', 'src/payments/domain/reaches-nest.ts'],
    ['libs-import-nothing-from-src', 'libs/codec/reaches-src.ts'],
    ['no-cycles', 'src/payments/delivery/ping.ts'],
  ])('reports %s for %s', (rule, file) => {
    expect(result.output).toMatch(new RegExp(`${rule}: ${file.replace(/\./g, '\\.')} →`));
  });

  it('lets a domain file import the domain', () => {
    expect(result.output).not.toContain('src/payments/domain/pure.ts →');
  });
});
