import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRepoFile, repoRoot, runCommand } from '../../support/stack-files.js';

// The README is the newcomer's page: short, and true about the repository it sits in.
const docs = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const text = (file: string) => readRepoFile(file);

/** Variables of the validated environment: the keys of the zod schema in src/config/env.ts. */
function configVariables(): string[] {
  const source = readRepoFile('src/config/env.ts');
  const body = source.slice(source.indexOf('const schema = z.object({'), source.indexOf('\n});', source.indexOf('const schema')));
  return [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
}

/** Repository paths a document cites: `backticked/paths` and relative Markdown links. */
function citedPaths(file: string): string[] {
  const content = text(file);
  const roots = /^(?:src|test|docker|docs|migrations|bench|scripts|\.ci)\//;
  const fromCode = [...content.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1]!)
    .filter((p) => roots.test(p) || /^\.?[\w.-]+\.(?:json|ya?ml|md|example)$/.test(p))
    .map((p) => p.replace(/[#:].*$/, ''));
  const fromLinks = [...content.matchAll(/\]\(([^)]+)\)/g)]
    .map((m) => m[1]!)
    .filter((href) => !/^[a-z]+:/.test(href) && !href.startsWith('#'))
    .map((href) => normalize(join(dirname(file), href.replace(/#.*$/, ''))));
  return [...new Set([...fromCode, ...fromLinks])].filter((p) => !p.includes('<') && !p.includes('*'));
}

describe('README.md', () => {
  it('is under 20 KB', () => {
    expect(statSync(join(repoRoot, 'README.md')).size).toBeLessThan(20 * 1024);
  });

  it('has a configuration-table row for every variable of src/config/env.ts', () => {
    const rows = text('README.md').split('\n').filter((line) => line.startsWith('| `'));
    const variables = configVariables();

    expect(variables.length).toBeGreaterThan(30);
    const missing = variables.filter((name) => !rows.some((row) => row.split('|')[1]!.includes(`\`${name}\``)));
    expect(missing).toEqual([]);
  });

  it('documents every endpoint of openapi.json, in its endpoint table or docs/api.md', () => {
    const paths = Object.keys(JSON.parse(readRepoFile('openapi.json')).paths as Record<string, unknown>);
    const documented = text('README.md') + text('docs/api.md');

    expect(paths.filter((path) => !documented.includes(path.replace(/^\/api\/v1/, '')))).toEqual([]);
  });
});

describe('docs/api.md', () => {
  it('lists every field of a ticket', () => {
    const fields = Object.keys(JSON.parse(readRepoFile('openapi.json')).components.schemas.TicketResponse.properties);
    const list = text('docs/api.md').split('\nFields: ')[1]!.split('\n\n')[0]!;

    expect(fields.filter((field) => !list.includes(`\`${field}\``))).toEqual([]);
  });
});

describe('docs/pipeline.md', () => {
  it('lists every event type a webhook can subscribe to', () => {
    const openapi = JSON.parse(readRepoFile('openapi.json'));
    const types: string[] = openapi.components.schemas.CreateWebhookRequest.properties.events.items.enum;
    const webhooks = text('docs/pipeline.md').split('\n- **').find((section) => section.startsWith('Webhooks**'))!;

    expect(types.filter((type) => !webhooks.includes(`\`${type}\``))).toEqual([]);
  });
});

describe('README.md and docs/', () => {
  it.each(docs)('%s cites only paths that are in the repository (or ignored by git, made at run time)', async (file) => {
    const missing: string[] = [];
    for (const path of citedPaths(file)) {
      if (existsSync(join(repoRoot, path))) continue;
      if ((await runCommand('git', ['check-ignore', '-q', '--no-index', path])).code === 0) continue;
      missing.push(path);
    }
    expect(missing).toEqual([]);
  });

  it.each(docs)('%s names only source files that exist somewhere in the repository', async (file) => {
    const tracked = new Set((await runCommand('git', ['ls-files'])).stdout.split('\n').map((path) => path.split('/').pop()));
    const names = [...text(file).matchAll(/`([\w.-]+\.(?:ts|mjs|cjs|js|sql|sh))`/g)].map((m) => m[1]!);

    expect(names.filter((name) => !tracked.has(name))).toEqual([]);
  });

  it.each(docs)('%s describes the software, not how work on it went (no "session")', (file) => {
    expect(text(file)).not.toMatch(/\bsessions?\b/i);
  });
});
