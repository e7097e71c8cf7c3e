// Lint for every package. The dependency arrows of ARCHITECTURE.md §1 are enforced here:
//   web ──HTTP/WS only──▶ server ──▶ grader, infra, labs;  infra ──▶ grader/netmodel;  grader ──▶ labs
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const PACKAGES = ['labs', 'grader', 'infra', 'server', 'web'];
const FRAMEWORKS = [
  { group: ['@nestjs/*'], message: 'Only server may use NestJS (ARCHITECTURE.md §1).' },
  {
    group: ['@prisma/*', 'prisma', '**/generated/prisma/**'],
    message: 'Only server may use Prisma (ARCHITECTURE.md §1).',
  },
];

/** Import restrictions for one package: which sibling packages it must not import, and why. */
function arrows(pkg, forbidden, extra = []) {
  const others = PACKAGES.filter((p) => p !== pkg).join('|');
  return {
    files: [`${pkg}/**/*.ts`, `${pkg}/**/*.tsx`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: forbidden.map((name) => ({
            name,
            message: `${pkg} must not import ${name}: see the dependency arrows in ARCHITECTURE.md §1.`,
          })),
          patterns: [
            ...forbidden.map((name) => ({
              group: [`${name}/*`],
              message: `${pkg} must not import ${name}: see the dependency arrows in ARCHITECTURE.md §1.`,
            })),
            {
              regex: `^(\\.\\./)+(${others})/`,
              message:
                'Import another package by its name (@netlab/...), never by a relative path into its folder.',
            },
            ...extra,
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', '**/tmp/**', '**/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  arrows('labs', ['@netlab/grader', '@netlab/infra', '@netlab/server', '@netlab/web'], FRAMEWORKS),
  arrows('grader', ['@netlab/infra', '@netlab/server', '@netlab/web'], FRAMEWORKS),
  // infra may use only grader's networking model (for the sim dataplane), never the grader itself.
  {
    ...arrows(
      'infra',
      ['@netlab/server', '@netlab/web'],
      [
        ...FRAMEWORKS,
        {
          regex: '^@netlab/grader(?!/netmodel$)',
          message:
            'infra may import only @netlab/grader/netmodel (the sim dataplane), not the grader (ARCHITECTURE.md §1).',
        },
      ],
    ),
  },
  arrows('server', ['@netlab/web']),
  {
    ...arrows(
      'web',
      ['@netlab/server', '@netlab/grader', '@netlab/infra', '@netlab/labs'],
      [
        ...FRAMEWORKS,
        { group: ['@kubernetes/client-node'], message: 'web talks to the server over HTTP/WebSocket only.' },
      ],
    ),
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
);
