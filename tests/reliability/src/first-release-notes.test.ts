/**
 * The first release's notes (docs/first-release/<package folder>.md), which the first release copies into each published
 * package's CHANGELOG.md under `## 0.1.0` (.changeset/README.md, "The first release"): one per published package, naming
 * every entry of its `exports` map, 30 to 60 lines, with no name of the repository's own work (a session, a branch, an issue).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const ignored: string[] = JSON.parse(readFileSync(join(root, '.changeset/config.json'), 'utf8')).ignore;
const published = readdirSync(join(root, 'packages'))
  .filter((folder) => existsSync(join(root, 'packages', folder, 'package.json')))
  .map((folder) => ({ folder, json: JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8')) }))
  .filter(({ json }) => json.private !== true && !ignored.includes(json.name));

it('there is a note for each published package, and no other', () => {
  expect(published.length).toBeGreaterThan(0);
  expect(readdirSync(join(root, 'docs/first-release')).sort()).toEqual(published.map(({ folder }) => `${folder}.md`).sort());
});

describe.each(published)('$folder', ({ folder, json }) => {
  const note = (): string => readFileSync(join(root, 'docs/first-release', `${folder}.md`), 'utf8');

  it('names every entry of its exports map, as an import specifier', () => {
    for (const entry of Object.keys(json.exports)) expect(note(), entry).toContain(`\`${json.name}${entry.slice(1)}\``);
  });

  it('is 30 to 60 lines, links SECURITY.md and the security history, and names no session, branch or issue', () => {
    const lines = note().trimEnd().split('\n').length;
    expect(lines).toBeGreaterThanOrEqual(30);
    expect(lines).toBeLessThanOrEqual(60);
    expect(note()).toContain('https://github.com/org/okta-auth/blob/main/docs/SECURITY.md');
    expect(note()).toContain('https://github.com/org/okta-auth/blob/main/docs/security-history.md');
    expect(note()).not.toMatch(/\bsessions?\b|\bissue #?\d|\b(?:rev|fix|trim|mend|tidy|coord|bucket|pack|review|release)\d{2,}|\bB gzip\b/i);
  });
});
