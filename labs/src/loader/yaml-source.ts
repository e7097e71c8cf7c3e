import { LineCounter, parseAllDocuments, parseDocument, type Document } from 'yaml';

/** A parsed YAML file that can tell the line of any path inside it. */
export class YamlSource {
  private constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Parses one YAML document; returns the errors (with lines) instead of throwing. */
  static parse(text: string): { source: YamlSource; errors: { line: number; message: string }[] } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const errors = doc.errors.map((e) => ({
      line: lines.linePos(e.pos[0]).line,
      message: firstLine(e.message),
    }));
    return { source: new YamlSource(doc, lines), errors };
  }

  /** The plain JavaScript value of the document. */
  value(): unknown {
    return this.doc.toJS();
  }

  /** 1-based line of the node at `path`, or of its closest existing parent. */
  lineOf(path: readonly PropertyKey[]): number | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n) as unknown[], true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) return this.lines.linePos(range[0]).line;
    }
    return undefined;
  }
}

/** Parses a multi-document YAML file into plain values; errors carry their lines. */
export function parseYamlDocuments(text: string): {
  values: unknown[];
  errors: { line: number; message: string }[];
} {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  if (!Array.isArray(docs)) return { values: [], errors: [] };
  const errors = docs.flatMap((d) =>
    d.errors.map((e) => ({ line: lines.linePos(e.pos[0]).line, message: firstLine(e.message) })),
  );
  const values = errors.length ? [] : docs.map((d) => d.toJS()).filter((v) => v !== null && v !== undefined);
  return { values, errors };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
