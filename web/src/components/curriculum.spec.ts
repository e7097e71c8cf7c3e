import { describe, expect, it } from 'vitest';
import { curriculumByDomain } from './curriculum';

describe(curriculumByDomain.name, () => {
  it('should name each exam and domain once with all its competencies when grouping', () => {
    const sut = curriculumByDomain([
      { exam: 'CKA', domain: 'Troubleshooting', competency: 'one' },
      { exam: 'CKAD', domain: 'Services and Networking', competency: 'two' },
      { exam: 'CKA', domain: 'Troubleshooting', competency: 'three' },
    ]);
    expect(sut).toEqual([
      { exam: 'CKA', domain: 'Troubleshooting', competencies: ['one', 'three'] },
      { exam: 'CKAD', domain: 'Services and Networking', competencies: ['two'] },
    ]);
  });
});
