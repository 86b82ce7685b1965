// A projection's module source → the function body the sandbox compiles: `export default`
// found only where it is code, lines kept, imports refused; syntax errors located by line.
import { describe, expect, it } from 'vitest';
import { projectionModuleBody } from '../../src/common/projections/module-source.ts';
import { compileUserCode, locateSyntaxError, userLocation } from '../../src/common/projections/sandbox-core.ts';

/** Compiles and runs a module body here (in the test's own thread: only the transform is under test). */
function evaluate(source: string): unknown {
  const body = projectionModuleBody(source);
  if ('error' in body) throw new Error(`line ${body.line}: ${body.error}`);
  const compiled = compileUserCode([], body.body, 'm.js');
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.fn();
}

describe('projection module source', () => {
  it('reads the default export, wherever the words appear elsewhere', () => {
    const source = [
      "// export default { wrong: 'comment' }",
      "/* export default { wrong: 'block' } */",
      "const a = 'export default { wrong: 1 }';",
      'const b = "export default";',
      'const c = `export default ${a.length > 0 ? `nested export default` : ""}`;',
      'const d = /export default/.test(a) ? 1 / 2 : 0;',
      'const e = { export: 1, import: 2 };',
      'export default { a, b, c, d, exportKey: e.export, importKey: e.import };',
    ].join('\n');
    expect(evaluate(source)).toEqual({
      a: 'export default { wrong: 1 }',
      b: 'export default',
      c: 'export default nested export default',
      d: 0.5,
      exportKey: 1,
      importKey: 2,
    });
  });

  it('keeps every line where it was', () => {
    const source = "export const one = 1;\nexport default {\n  two: 2,\n  three() { throw new Error('line 4'); },\n};";
    const body = projectionModuleBody(source);
    expect(
      'body' in body &&
        body.body
          .split('\n')
          .slice(0, 5)
          .map((l) => l.replace(/^.*?__eventscope_exports__ = \{\};/, '')),
    ).toEqual([
      '       const one = 1;',
      '__eventscope_exports__.default = {',
      '  two: 2,',
      "  three() { throw new Error('line 4'); },",
      '};',
    ]);
    const exported = evaluate(source) as { three(): void };
    let thrown: unknown;
    try {
      exported.three();
    } catch (err) {
      thrown = err;
    }
    expect(userLocation(thrown, 'm.js')).toEqual({ line: 4, column: 19 });
  });

  it('refuses imports, named export lists and a second default, naming the line', () => {
    expect(projectionModuleBody("\n\nimport fs from 'node:fs';\nexport default {};")).toMatchObject({
      line: 3,
      error: expect.stringContaining('`import` is not available'),
    });
    expect(projectionModuleBody("import * as x from 'y';")).toMatchObject({ line: 1 });
    expect(projectionModuleBody("import 'side-effect';")).toMatchObject({ line: 1 });
    expect(projectionModuleBody('const x = 1;\nexport { x };')).toMatchObject({
      line: 2,
      error: expect.stringContaining('`export { … }`'),
    });
    expect(projectionModuleBody('export default {};\nexport default {};')).toMatchObject({
      line: 2,
      error: expect.stringContaining('a second one'),
    });
    expect(projectionModuleBody('const projection = {};')).toMatchObject({
      line: 1,
      error: expect.stringContaining('There is no `export default`'),
    });
    // import() is an expression, not a module import: left to the sandbox (which refuses to load anything).
    expect(projectionModuleBody("const later = () => import('x');\nexport default {};")).toHaveProperty('body');
  });

  it('locates a syntax error on its line', () => {
    const lines = ['const a = 1;', 'function f() {', '  return a +;', '}', 'export default {};'];
    const body = lines.join('\n');
    const compiled = compileUserCode([], body, 'm.js');
    expect(compiled).toMatchObject({ ok: false, line: 3, message: expect.stringMatching(/^SyntaxError: /) });
    expect(locateSyntaxError([], 'let x = `open template', 'Unterminated template literal')).toBe(1);
    expect(locateSyntaxError([], 'one;\ntwo(;\nthree;', "Unexpected token ';'")).toBe(2);
  });
});
