/** Evaluates `$(( ... ))`: integers, variables, + - * / %, comparisons, && ||, parentheses. */
export function evaluateArithmetic(source: string, variable: (name: string) => string | undefined): number {
  const tokens = source.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[-+*/%()<>!]/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  const primary = (): number => {
    const t = next();
    if (t === undefined) throw new Error('arithmetic syntax error');
    if (t === '(') {
      const v = or();
      if (next() !== ')') throw new Error('arithmetic syntax error');
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() === 0 ? 1 : 0;
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) return Math.trunc(Number(variable(t) ?? 0) || 0);
    throw new Error('arithmetic syntax error');
  };
  const level = (ops: string[], inner: () => number) => (): number => {
    let v = inner();
    while (ops.includes(peek() ?? '')) {
      const op = next()!;
      const r = inner();
      v = apply(op, v, r);
    }
    return v;
  };
  const mul = level(['*', '/', '%'], primary);
  const add = level(['+', '-'], mul);
  const cmp = level(['<', '>', '<=', '>='], add);
  const eq = level(['==', '!='], cmp);
  const and = level(['&&'], eq);
  const or = level(['||'], and);
  const result = or();
  if (pos < tokens.length) throw new Error('arithmetic syntax error');
  return result;
}

function apply(op: string, a: number, b: number): number {
  switch (op) {
    case '*':
      return a * b;
    case '/':
    case '%':
      if (b === 0) throw new Error('divide by zero');
      return op === '/' ? Math.trunc(a / b) : a % b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '<':
      return Number(a < b);
    case '>':
      return Number(a > b);
    case '<=':
      return Number(a <= b);
    case '>=':
      return Number(a >= b);
    case '==':
      return Number(a === b);
    case '!=':
      return Number(a !== b);
    case '&&':
      return Number(a !== 0 && b !== 0);
    default:
      return Number(a !== 0 || b !== 0);
  }
}
