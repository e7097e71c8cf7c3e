import { GraderError, GraderErrorCode } from '@netlab/grader';
import { ProviderError, ProviderErrorCode } from '@netlab/infra';
import { LabDefinitionError, LabErrorCode } from '@netlab/labs';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { CatalogError, CatalogErrorCode } from '../catalog/catalog.error';
import { AppError, AppErrorCode } from './app-error';
import {
  ErrorFilter,
  statusOfAppError,
  statusOfCatalogError,
  statusOfGraderError,
  statusOfLabError,
  statusOfProviderError,
  toHttpFailure,
} from './error.filter';

describe(ErrorFilter.name, () => {
  it.each([
    ['AppErrorCode', Object.values(AppErrorCode), statusOfAppError],
    ['CatalogErrorCode', Object.values(CatalogErrorCode), statusOfCatalogError],
    ['LabErrorCode', Object.values(LabErrorCode), statusOfLabError],
    ['GraderErrorCode', Object.values(GraderErrorCode), statusOfGraderError],
    ['ProviderErrorCode', Object.values(ProviderErrorCode), statusOfProviderError],
  ] as const)('should map every %s to an HTTP error status', (_name, codes, statusOf) => {
    for (const code of codes) {
      const status = (statusOf as (c: string) => number)(code);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });

  it('should answer an AppError with its code, message, details and Retry-After', () => {
    const sut = toHttpFailure(
      new AppError(AppErrorCode.TOO_MANY_ATTEMPTS, 'Wait.', { retryAfterSeconds: 9 }, 9),
    );
    expect(sut).toEqual({
      status: 429,
      body: { code: 'TOO_MANY_ATTEMPTS', message: 'Wait.', details: { retryAfterSeconds: 9 } },
      retryAfterSeconds: 9,
    });
  });

  it("should answer other packages' errors with their own codes", () => {
    expect(toHttpFailure(new ProviderError(ProviderErrorCode.HOST_NOT_READY, 'No Docker.'))).toEqual({
      status: 503,
      body: { code: 'HOST_NOT_READY', message: 'No Docker.' },
    });
    expect(toHttpFailure(new GraderError(GraderErrorCode.CLUSTER_UNREACHABLE, 'Down.')).status).toBe(503);
    expect(
      toHttpFailure(new CatalogError(CatalogErrorCode.LAB_INVALID, 'Broken.', { problems: ['x'] })),
    ).toEqual({
      status: 422,
      body: { code: 'LAB_INVALID', message: 'Broken.', details: { problems: ['x'] } },
    });
    const lab = new LabDefinitionError(LabErrorCode.INVALID_LAB, [
      { file: 'lab.yaml', line: 2, path: 'id', message: 'bad' },
    ]);
    expect(toHttpFailure(lab)).toEqual({
      status: 422,
      body: {
        code: 'INVALID_LAB',
        message: 'lab.yaml:2 id: bad',
        details: { problems: ['lab.yaml:2 id: bad'] },
      },
    });
  });

  it('should map Nest exceptions and body-parser failures onto the same body', () => {
    expect(toHttpFailure(new NotFoundException()).body.code).toBe('NOT_FOUND');
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      type: 'entity.too.large',
    });
    expect(toHttpFailure(new BadRequestException('x', { cause: tooLarge }))).toEqual({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' },
    });
  });

  it('should never show the message of an unknown error', () => {
    expect(toHttpFailure(new Error('password=hunter2 at db.ts:12'))).toEqual({
      status: 500,
      body: {
        code: 'INTERNAL',
        message: 'Something went wrong on the server; it has been logged. Try again.',
      },
    });
  });
});
