import Mustache from 'mustache';
import type { ParameterValues } from './parameters';

/** Text with `{{ name }}` placeholders: the templating used by lab.yaml, manifests and steps. */
export interface TemplateUse {
  name: string;
  /** 1-based line of the placeholder. */
  line: number;
}

const NO_ESCAPE = { escape: (s: string) => s };

/** Lists the parameters a template refers to, with their lines; throws on malformed templates. */
export function templateUses(text: string): TemplateUse[] {
  const uses: TemplateUse[] = [];
  const walk = (tokens: Mustache.TemplateSpans) => {
    for (const t of tokens) {
      const [kind, name, start] = t as [string, string, number, number, Mustache.TemplateSpans?];
      if (kind === 'name' || kind === '&' || kind === '#' || kind === '^') {
        uses.push({ name, line: lineOf(text, start) });
      }
      const children = (t as unknown[])[4];
      if (Array.isArray(children)) walk(children as Mustache.TemplateSpans);
    }
  };
  walk(Mustache.parse(text));
  return uses;
}

/** Renders `{{ name }}` placeholders with the parameter values; no HTML escaping. */
export function renderTemplate(text: string, values: ParameterValues): string {
  return Mustache.render(text, values, {}, NO_ESCAPE);
}

/** Replaces every placeholder by a neutral value, so a template can be parsed before values exist. */
export function blankTemplate(text: string): string {
  return text.replace(/\{\{[^}]*\}\}/g, '0');
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
