import { basename, resolve } from 'node:path';
import { CATALOG_DIR, listLabDirs } from './catalog';
import { loadLab } from './lab-loader';

/** Where the generated catalog page lives: `labs/CATALOG.md`. */
export const CATALOG_PAGE_PATH = resolve(CATALOG_DIR, '../CATALOG.md');

const DIFFICULTY_ORDER = { beginner: 0, intermediate: 1, advanced: 2 } as const;

/**
 * The catalog page: one table row per lab of the catalog (title, difficulty, minutes, concepts,
 * curriculum items), sorted by difficulty then id. Throws on a lab that does not load, naming it.
 */
export function catalogPageText(catalogDir: string = CATALOG_DIR): string {
  const rows = listLabDirs(catalogDir).map((dir) => {
    const result = loadLab(dir, { seed: 'catalog-page' });
    if (!result.ok) {
      throw new Error(
        `lab ${basename(dir)} does not load; run \`npx netlab lab validate ${dir}\`: ${result.problems[0]?.message ?? ''}`,
      );
    }
    return result.lab.definition;
  });
  rows.sort(
    (a, b) => DIFFICULTY_ORDER[a.difficulty] - DIFFICULTY_ORDER[b.difficulty] || a.id.localeCompare(b.id),
  );
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
  const lines = [
    '# Lab catalog',
    '',
    '<!-- Generated from labs/catalog/*/lab.yaml by `npm run -w @netlab/labs catalog`; a spec fails when it is stale. -->',
    '',
    `${rows.length} labs. Concepts are the labs' \`tags\`; curriculum items are their \`curriculum\` field`,
    '(exam · domain: competency). Every lab passes `npx netlab lab test --provider sim <id>`.',
    '',
    '| lab | title | difficulty | minutes | concepts | curriculum |',
    '|---|---|---|---|---|---|',
    ...rows.map((lab) =>
      [
        `[\`${lab.id}\`](catalog/${lab.id}/lab.yaml)`,
        cell(lab.title),
        lab.difficulty,
        String(lab.estimatedMinutes),
        lab.tags.join(', '),
        lab.curriculum.map((c) => cell(`${c.exam} · ${c.domain}: ${c.competency}`)).join('<br>'),
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    ),
    '',
  ];
  return lines.join('\n');
}
