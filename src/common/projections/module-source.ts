// A projection's module source → the body of a function the sandbox compiles. A projection is
// written as a module (`export default { … }`), but the sandbox evaluates it as a function body
// (module loading is what it must not have): `export default` becomes an assignment, the
// `export` of a named declaration is dropped, and a static `import` is refused (a projection
// runs with no modules). Lines stay where they were, so errors point at the author's lines.
//
// SELF-CONTAINED: this function runs inside the sandbox worker; the CLI's worker gets it as
// source text (Function.prototype.toString, src/node/projections/node-sandbox.ts). It may use
// only its parameters, its own locals and JavaScript's built-ins: no imports, no module-level
// constants, no other function of this file.

/** The function body to compile, or why the source is not a projection module (with its line). */
export type ModuleBody = { body: string } | { error: string; line: number };

export function projectionModuleBody(source: string): ModuleBody {
  const EXPORTS = '__eventscope_exports__';
  const KEYWORDS_BEFORE_REGEX = new Set([
    'return',
    'typeof',
    'instanceof',
    'in',
    'of',
    'new',
    'delete',
    'void',
    'throw',
    'case',
    'do',
    'else',
    'yield',
    'await',
  ]);
  const n = source.length;
  let i = 0;
  let line = 1;
  /** Brackets open at this point ({ ( [): 0 is the module's top level. */
  let depth = 0;
  /** For each template literal whose ${ … } we are in: the depth at its ${. */
  const templates: number[] = [];
  /** Whether a / here starts a regular expression (after an operator) or divides (after a value). */
  let regexAllowed = true;
  const edits: { from: number; to: number; text: string }[] = [];
  let defaultExport = 0;

  const isIdentStart = (c: string): boolean => /[A-Za-z_$\u00a0-\uffff]/.test(c);
  const isIdentPart = (c: string): boolean => /[\w$\u00a0-\uffff]/.test(c);
  const skipSpaceAndComments = (at: number): number => {
    for (;;) {
      while (at < n && /\s/.test(source[at]!)) at++;
      if (source.startsWith('//', at)) {
        while (at < n && source[at] !== '\n') at++;
      } else if (source.startsWith('/*', at)) {
        const end = source.indexOf('*/', at + 2);
        at = end < 0 ? n : end + 2;
      } else {
        return at;
      }
    }
  };
  const wordAt = (at: number): string => {
    let end = at;
    while (end < n && isIdentPart(source[end]!)) end++;
    return source.slice(at, end);
  };
  /** Scans a template literal's text from just after ` (or after the } closing a ${ … }); returns where code resumes. */
  const scanTemplate = (at: number): number => {
    while (at < n) {
      const c = source[at]!;
      if (c === '\\') {
        at += 2;
        continue;
      }
      if (c === '\n') line++;
      if (c === '`') return at + 1;
      if (c === '$' && source[at + 1] === '{') {
        templates.push(depth);
        depth++;
        regexAllowed = true;
        return at + 2;
      }
      at++;
    }
    return at;
  };

  while (i < n) {
    const c = source[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (source[k] === '\n') line++;
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < n && source[i] !== c && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      i++;
      regexAllowed = false;
      continue;
    }
    if (c === '`') {
      i = scanTemplate(i + 1);
      regexAllowed = false;
      continue;
    }
    if (c === '/') {
      if (regexAllowed) {
        // A regular expression literal: to the closing / outside a [class], then its flags.
        i++;
        let inClass = false;
        while (i < n && source[i] !== '\n') {
          const r = source[i]!;
          if (r === '\\') {
            i += 2;
            continue;
          }
          if (r === '[') inClass = true;
          else if (r === ']') inClass = false;
          else if (r === '/' && !inClass) break;
          i++;
        }
        i++;
        while (i < n && isIdentPart(source[i]!)) i++;
        regexAllowed = false;
      } else {
        i++;
        regexAllowed = true;
      }
      continue;
    }
    if (c === '{' || c === '(' || c === '[') {
      depth++;
      i++;
      regexAllowed = true;
      continue;
    }
    if (c === '}' || c === ')' || c === ']') {
      depth--;
      i++;
      if (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth) {
        templates.pop();
        i = scanTemplate(i);
        regexAllowed = false;
        continue;
      }
      // After } a / is more often a regex (a statement after a block) than a division.
      regexAllowed = c === '}';
      continue;
    }
    if (/\d/.test(c) || (c === '.' && /\d/.test(source[i + 1] ?? ''))) {
      while (i < n && /[\w.]/.test(source[i]!)) i++;
      regexAllowed = false;
      continue;
    }
    if (isIdentStart(c)) {
      const word = wordAt(i);
      const start = i;
      i += word.length;
      // A property name (obj.export, obj.import) is not a keyword.
      const afterDot = start > 0 && source[start - 1] === '.';
      if (depth === 0 && !afterDot && word === 'export') {
        const next = skipSpaceAndComments(i);
        const following = wordAt(next);
        if (following === 'default') {
          defaultExport++;
          if (defaultExport > 1) return { error: 'a module has one `export default`; this is a second one.', line };
          edits.push({ from: start, to: next + following.length, text: `${EXPORTS}.default =` });
          i = next + following.length;
          regexAllowed = true;
          continue;
        }
        if (['const', 'let', 'var', 'function', 'class', 'async'].includes(following)) {
          // A named export is only a declaration here: keep it, drop the word.
          edits.push({ from: start, to: i, text: ' '.repeat(word.length) });
          regexAllowed = true;
          continue;
        }
        return {
          error:
            'only `export default { … }` is read from a projection (and `export const`/`function` for helpers); `export { … }` and `export *` are not.',
          line,
        };
      }
      if (depth === 0 && !afterDot && word === 'import') {
        const next = skipSpaceAndComments(i);
        if (source[next] !== '(' && source[next] !== '.') {
          return {
            error:
              '`import` is not available: a projection runs with no modules (no Node, no npm packages). Put the helpers it needs in the same file.',
            line,
          };
        }
      }
      regexAllowed = KEYWORDS_BEFORE_REGEX.has(word);
      continue;
    }
    // Any other punctuator (operators, ; , . ? : …): a / after it starts a regex.
    i++;
    regexAllowed = true;
  }
  if (defaultExport === 0) {
    return {
      error:
        'a projection is a module whose default export is the projection: `export default { typeFrom, init, on: { … } }`. There is no `export default` in it.',
      line: 1,
    };
  }
  let body = '';
  let at = 0;
  for (const e of edits) {
    body += source.slice(at, e.from) + e.text;
    at = e.to;
  }
  body += source.slice(at);
  // The prelude shares the first line with the author's code and the epilogue comes after the
  // last: line N of the body is line N of the file.
  return { body: `"use strict";const ${EXPORTS} = {};${body}\n;return ${EXPORTS}.default;` };
}
