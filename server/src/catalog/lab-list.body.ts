import { createHash } from 'node:crypto';
import type { LabProgressView, LabSummary } from './catalog.dto';
import { NO_PROGRESS } from './learner-progress';

/** The JSON body of `GET /api/labs` (UTF-8) and its ETag (a strong one: the bytes are exact). */
export interface LabListJson {
  bytes: Buffer;
  etag: string;
}

interface Prepared {
  /** Each lab's JSON without its closing brace, ending in `,"my":`. */
  heads: string[];
  slugs: string[];
  /** Hash of every head: which labs, with what text. */
  hash: string;
}

const NO_PROGRESS_JSON = JSON.stringify(NO_PROGRESS);

/**
 * Writes `{"labs": [...]}` for one learner without serializing the catalog on every request: each
 * lab's JSON is prepared once per list of summaries (the catalog's snapshot, replaced on reload),
 * and only the learner's `my` values are written per request. The text equals
 * `JSON.stringify({ labs: summaries.map((lab) => ({ ...lab, my })) })`, and so does the ETag's
 * meaning: it changes whenever the text does (another snapshot, another `my`).
 */
export class LabListBody {
  private readonly prepared = new WeakMap<readonly LabSummary[], Prepared>();
  /**
   * The last body written for a learner's progress map (the progress cache hands out the same map
   * until that learner's attempts change), with the snapshot it was written for.
   */
  private readonly written = new WeakMap<
    ReadonlyMap<string, LabProgressView>,
    { summaries: readonly LabSummary[]; list: LabListJson }
  >();

  of(summaries: readonly LabSummary[], progress: ReadonlyMap<string, LabProgressView>): LabListJson {
    const last = this.written.get(progress);
    if (last?.summaries === summaries) return last.list;
    const list = this.write(summaries, progress);
    this.written.set(progress, { summaries, list });
    return list;
  }

  private write(
    summaries: readonly LabSummary[],
    progress: ReadonlyMap<string, LabProgressView>,
  ): LabListJson {
    const { heads, slugs, hash } = this.prepare(summaries);
    const parts = new Array<string>(heads.length);
    let mine = '';
    for (let i = 0; i < heads.length; i++) {
      const my = progress.get(slugs[i]!);
      const text = my ? JSON.stringify(my) : NO_PROGRESS_JSON;
      if (my) mine += `${i}:${text}\n`;
      parts[i] = `${heads[i]}${text}}`;
    }
    const bytes = Buffer.from(`{"labs":[${parts.join(',')}]}`);
    const tag = mine ? createHash('sha1').update(hash).update(mine).digest('base64url') : hash;
    return { bytes, etag: `"${tag}"` };
  }

  private prepare(summaries: readonly LabSummary[]): Prepared {
    let prepared = this.prepared.get(summaries);
    if (!prepared) {
      const heads = summaries.map((lab) => {
        const text = JSON.stringify({ ...lab, my: null });
        return text.slice(0, -'null}'.length); // `my` comes last, as the spread puts it
      });
      const hash = createHash('sha1')
        .update(`${summaries.length}\n`)
        .update(heads.join('\n'))
        .digest('base64url');
      prepared = { heads, slugs: summaries.map((lab) => lab.slug), hash };
      this.prepared.set(summaries, prepared);
    }
    return prepared;
  }
}
