/**
 * The docs name only what exists: every `npm run <script>` in README.md and docs/*.md is a package.json
 * script; every setting they name (a row of a table headed "variable" or "setting", or NAME=value) is read
 * by src/config, or by the tool the doc describes (scripts/, docker/, tools/, test/ knobs); every relative
 * link, and every repository path written in backquotes, resolves to a file. Others add docs and settings at the same time: the lead reruns this after merging.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const SETTING = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

function filesUnder(dir: string, pattern: RegExp): string[] {
  const full = join(ROOT, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'libs' || name === 'var') return [];
    return statSync(join(ROOT, path)).isDirectory()
      ? filesUnder(path, pattern)
      : pattern.test(name)
        ? [path]
        : [];
  });
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
// The settings: src/config, and the capability modules' own `*.config.ts` files.
const configText = [...filesUnder('src/config', /\.ts$/), ...filesUnder('src', /\.config\.ts$/)].map(read).join('\n');
const toolText = ['scripts', 'docker', 'tools', 'test', '.ci']
  .flatMap((d) => filesUnder(d, /\.(ts|sh|js|yml|properties)$|^run$/))
  .map(read)
  .join('\n');

/** Settings a doc names: first cells of tables headed "variable"/"setting", and NAME=value anywhere. */
function settingsNamedIn(text: string): string[] {
  const names = new Set<string>();
  let inSettingsTable = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      inSettingsTable = false;
      continue;
    }
    const firstCell = line.split('|')[1]?.trim() ?? '';
    if (/^(variable|setting)s?$/i.test(firstCell)) inSettingsTable = true;
    else if (inSettingsTable)
      for (const m of firstCell.matchAll(/`([^`]+)`/g)) if (SETTING.test(m[1])) names.add(m[1]);
  }
  for (const m of text.matchAll(/(?<![\w.$-])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)=/g)) names.add(m[1]);
  return [...names];
}

describe.each(DOCS)('%s', (doc) => {
  const text = read(doc);

  it('names only npm scripts that exist', () => {
    const scripts = Object.keys(
      (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts,
    );
    const named = [...text.matchAll(/npm run (?:-s )?([a-z][\w:-]*)/g)].map((m) => m[1]);
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it('names only settings the switch or the described tool reads', () => {
    const unknown = settingsNamedIn(text).filter(
      (name) => !configText.includes(`'${name}'`) && !new RegExp(`\\b${name}\\b`).test(toolText),
    );
    expect(unknown).toEqual([]);
  });

  it('links only to files that exist', () => {
    const dead = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1])
      .filter((target) => !/^(https?:|mailto:|#)/.test(target))
      .map((target) => target.split('#')[0])
      .filter((target) => !existsSync(resolve(ROOT, dirname(doc), target)))
      .map((target) => relative(ROOT, resolve(ROOT, dirname(doc), target)));
    expect(dead).toEqual([]);
  });

  it('names only repository files that exist', () => {
    const paths = [
      ...text.matchAll(
        /`((?:src|libs|test|tools|docker|scripts|docs)\/[\w./-]+\.(?:ts|md|js|json|yml|sh|xml))`/g,
      ),
    ];
    expect(paths.map((m) => m[1]).filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
