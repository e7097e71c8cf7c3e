import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('dependency arrows (ARCHITECTURE.md §1)', () => {
  it.each([
    ['grader/src/x.ts', "import { a } from '@netlab/server';", /grader must not import @netlab\/server/],
    ['grader/src/x.ts', "import { a } from '@netlab/infra';", /grader must not import @netlab\/infra/],
    ['labs/src/x.ts', "import { a } from '@netlab/grader';", /labs must not import @netlab\/grader/],
    [
      'infra/src/x.ts',
      "import { a } from '@netlab/grader';",
      /infra may import only @netlab\/grader\/netmodel/,
    ],
    ['infra/src/x.ts', "import { a } from '@netlab/server';", /infra must not import @netlab\/server/],
    ['infra/src/sim/x.ts', "import { a } from '@nestjs/common';", /Only server may use NestJS/],
    ['grader/src/x.ts', "import { a } from '@prisma/client';", /Only server may use Prisma/],
    ['web/src/x.ts', "import { a } from '@netlab/labs';", /web must not import @netlab\/labs/],
    ['web/src/x.ts', "import { a } from '@kubernetes/client-node';", /HTTP\/WebSocket only/],
    [
      'grader/src/netmodel/x.ts',
      "import { a } from '../../../infra/src/index';",
      /relative path into its folder/,
    ],
  ])('should reject an import in %s: %s', async (file, code, message) => {
    expect(await restrictedImports(file, code)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['infra/src/x.ts', "import { a } from '@netlab/grader/netmodel';"],
    ['grader/src/x.ts', "import { a } from '@netlab/labs';"],
    ['server/src/x.ts', "import { a } from '@netlab/grader';\nimport { b } from '@netlab/infra';"],
    ['server/src/x.ts', "import { a } from '@nestjs/common';"],
    ['grader/src/netmodel/x.ts', "import { a } from '../select/selector';"],
  ])('should allow an import in %s: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
