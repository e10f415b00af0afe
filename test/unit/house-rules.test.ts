import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { functionLengths, importCycles, importSpecifiers, lineCount, readSource, resolveRelative, sourceFiles } from '../helpers/code-shape.js';

/**
 * The house rules of docs/architecture.md, checked on every run so the tree stays readable:
 * no file in server/ over 300 lines, no function over 80 lines in server/, shared/ or
 * client/src (tests, their fixtures and the benchmark aside), no import cycle among those
 * modules. Measured with the TypeScript compiler (test/helpers/code-shape.ts).
 */

const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;
/** Where the rules hold. The file-length rule is for the hub only: the client has its own views. */
const SOURCE_ROOTS = ['server', 'shared', 'client/src'];
const FILE_RULE_ROOTS = ['server'];
/** Tests and their fixtures may be long: a table of cases reads best in one piece. */
const EXEMPT = /\.test\.ts$|-test-fixture\.ts$|\.d\.ts$/;

/**
 * Exceptions to the rules: none since issue 13's restructuring. Should one ever be needed (a
 * generated file, say), an entry names the file or function and its length; it may not grow,
 * and the check fails once it is no longer an offender, so the list can only shrink.
 */
interface Allowlist {
  files: readonly { file: string; lines: number }[];
  functions: readonly { file: string; name: string; lines: number }[];
}

const TODAY: Allowlist = { files: [], functions: [] };

/** Every broken rule under `root`, one sentence each naming the file (and function), empty when the house is in order. */
function houseProblems(root: string, allowlist: Allowlist): string[] {
  const problems: string[] = [];
  const files = SOURCE_ROOTS.flatMap((dir) => sourceFiles(root, dir)).filter((f) => !EXEMPT.test(f));
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  const longFiles = new Map<string, number>();
  const longFunctions: { file: string; name: string; line: number; lines: number }[] = [];

  for (const file of files) {
    const text = readSource(root, file);
    const lines = lineCount(text);
    if (FILE_RULE_ROOTS.some((dir) => file.startsWith(`${dir}/`)) && lines > MAX_FILE_LINES) longFiles.set(file, lines);
    for (const fn of functionLengths(file, text)) if (fn.lines > MAX_FUNCTION_LINES) longFunctions.push({ file, ...fn });
    const imports: string[] = [];
    for (const specifier of importSpecifiers(file, text)) {
      const target = resolveRelative(file, specifier, known);
      if (target !== null) imports.push(target);
      else if (specifier.startsWith('.') && SOURCE_ROOTS.some((dir) => path.posix.join(path.posix.dirname(file), specifier).startsWith(`${dir}/`))) {
        problems.push(`${file}: cannot follow the import '${specifier}' (no such .ts, .vue or index.ts file)`);
      }
    }
    graph.set(file, imports);
  }

  for (const [file, lines] of longFiles) {
    const allowed = allowlist.files.find((a) => a.file === file);
    if (!allowed) problems.push(`${file}: ${lines} lines, over ${MAX_FILE_LINES}: split it by job`);
    else if (lines > allowed.lines) problems.push(`${file}: ${lines} lines, more than the ${allowed.lines} it is allowed for now`);
  }
  for (const allowed of allowlist.files) {
    if (!longFiles.has(allowed.file)) problems.push(`${allowed.file}: no longer over ${MAX_FILE_LINES} lines: strike it off the allowlist`);
  }
  for (const fn of longFunctions) {
    const allowed = allowlist.functions.find((a) => a.file === fn.file && a.name === fn.name);
    if (!allowed) problems.push(`${fn.file}:${fn.line} ${fn.name}: ${fn.lines} lines, over ${MAX_FUNCTION_LINES}: split it`);
    else if (fn.lines > allowed.lines) problems.push(`${fn.file}:${fn.line} ${fn.name}: ${fn.lines} lines, more than the ${allowed.lines} it is allowed for now`);
  }
  for (const allowed of allowlist.functions) {
    if (!longFunctions.some((fn) => fn.file === allowed.file && fn.name === allowed.name)) {
      problems.push(`${allowed.file} ${allowed.name}: no longer over ${MAX_FUNCTION_LINES} lines (or gone): strike it off the allowlist`);
    }
  }
  for (const cycle of importCycles(graph)) problems.push(`import cycle: ${cycle.join(' → ')}`);
  return problems;
}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the house rules', () => {
  it('hold for server/, shared/ and client/src, with no exception', () => {
    expect(houseProblems(REPO, TODAY)).toEqual([]);
  });
});

/** `n` lines of a function named `name`, signature and closing brace included. */
const fn = (name: string, n: number): string => [`export function ${name}(): void {`, ...Array.from({ length: n - 2 }, (_, i) => `  console.log(${i});`), '}'].join('\n');

describe('measuring a function', () => {
  it('counts from the signature to the closing brace, for every kind of function', () => {
    const source = [
      'export function declared(a: number): number {', // 1
      '  const inner = (b: number) => {', // 2
      '    return b;', // 3
      '  };', // 4
      '  return inner(a);', // 5
      '}', // 6
      'class Box {', // 7
      '  constructor(private v: number) {}', // 8
      '  get value(): number {', // 9
      '    return this.v;', // 10
      '  }', // 11
      '  method(): void {', // 12
      '    // } a brace in a comment', // 13
      "    const s = '}';", // 14
      '  }', // 15
      '}', // 16
      'export const expressed = function () {', // 17
      '  return 1;', // 18
      '};', // 19
      "defineStore('x', () => {", // 20
      '  return {};', // 21
      '});', // 22
      'declare function overload(a: string): void;', // 23: no body, not a function to measure
    ].join('\n');
    expect(functionLengths('x.ts', source).map((f) => [f.name, f.line, f.lines])).toEqual([
      ['declared', 1, 6],
      ['inner', 2, 3],
      ['constructor', 8, 1],
      ['value', 9, 3],
      ['method', 12, 4],
      ['expressed', 17, 3],
      ['defineStore callback', 20, 3],
    ]);
  });

  it('measures each <script> block of a .vue file, with the lines the editor shows', () => {
    const vue = ['<template>', '  <p>{{ n }}</p>', '</template>', '', '<script setup lang="ts">', "import { ref } from 'vue';", 'function bump(): void {', '  n.value += 1;', '}', '</script>', ''].join('\n');
    expect(functionLengths('X.vue', vue)).toEqual([{ name: 'bump', line: 7, lines: 3 }]);
    expect(importSpecifiers('X.vue', vue)).toEqual(['vue']);
  });

  it('counts a file’s lines as an editor does', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a')).toBe(1);
    expect(lineCount('a\n')).toBe(1);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\n\n')).toBe(2);
    expect(functionLengths('x.ts', fn('long', 81))[0]).toEqual({ name: 'long', line: 1, lines: 81 });
  });
});

describe('walking the imports', () => {
  it('finds every static, re-exported and dynamic import, and nothing in a comment', () => {
    const source = ["import a from './a.js';", "import type { B } from '../b.js';", "export { c } from './c/index.js';", "// import x from './x.js';", "const d = await import('./d.js');", "import 'zod';"].join('\n');
    expect(importSpecifiers('m.ts', source)).toEqual(['./a.js', '../b.js', './c/index.js', './d.js', 'zod']);
  });

  it('resolves .js to .ts, .vue as written, a folder to its index, and leaves packages alone', () => {
    const known = new Set(['server/a.ts', 'server/c/index.ts', 'client/src/X.vue', 'shared/s.ts']);
    expect(resolveRelative('server/m.ts', './a.js', known)).toBe('server/a.ts');
    expect(resolveRelative('server/m.ts', './c', known)).toBe('server/c/index.ts');
    expect(resolveRelative('client/src/m.ts', './X.vue', known)).toBe('client/src/X.vue');
    expect(resolveRelative('server/x/m.ts', '../../shared/s.js', known)).toBe('shared/s.ts');
    expect(resolveRelative('server/m.ts', 'zod', known)).toBeNull();
    expect(resolveRelative('server/m.ts', './missing.js', known)).toBeNull();
  });

  it('reports each cycle as the path that closes it, and none in a tree', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
      ['e', ['e']],
      ['f', ['d']],
    ]);
    expect(importCycles(graph).sort()).toEqual([
      ['a', 'b', 'c', 'a'],
      ['e', 'e'],
    ]);
    expect(importCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });
});

describe('the check itself, on a tree of its own', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pitwall-house-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write('server/fine.ts', `${fn('short', 80)}\n`);
  write('server/long-function.ts', `${fn('tooLong', 81)}\n`);
  write('server/long-file.ts', `${Array.from({ length: 301 }, (_, i) => `export const c${i} = ${i};`).join('\n')}\n`);
  write('server/long-function.test.ts', `${fn('aLongTest', 200)}\n`);
  write('client/src/lib/long-test-fixture.ts', `${fn('aLongFixture', 200)}\n`);
  write('client/src/lib/long-client-file.ts', `${Array.from({ length: 400 }, (_, i) => `export const c${i} = ${i};`).join('\n')}\n`);
  write('client/src/View.vue', `<template><p /></template>\n<script setup lang="ts">\n${fn('inView', 90)}\n</script>\n`);
  write('shared/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
  write('shared/b.ts', "import { c } from '../server/c.js';\nexport const b = 1;\n");
  write('server/c.ts', "import { a } from '../shared/a.js';\nexport const c = a;\n");
  write('server/broken.ts', "import { gone } from './gone.js';\nexport const x = gone;\n");
  const none: Allowlist = { files: [], functions: [] };

  it('fails on a long file, a long function (in .ts and .vue), a cycle and an import it cannot follow; tests, fixtures and the client’s file length aside', () => {
    expect(houseProblems(root, none).sort()).toEqual(
      [
        'server/long-file.ts: 301 lines, over 300: split it by job',
        'server/long-function.ts:1 tooLong: 81 lines, over 80: split it',
        'client/src/View.vue:3 inView: 90 lines, over 80: split it',
        'import cycle: server/c.ts → shared/a.ts → shared/b.ts → server/c.ts',
        "server/broken.ts: cannot follow the import './gone.js' (no such .ts, .vue or index.ts file)",
      ].sort(),
    );
  });

  it('lets an offender on the allowlist be, but not grow, and fails on an entry that is no longer an offender', () => {
    const listed: Allowlist = {
      files: [
        { file: 'server/long-file.ts', lines: 301 },
        { file: 'server/fine.ts', lines: 320 },
      ],
      functions: [
        { file: 'server/long-function.ts', name: 'tooLong', lines: 80 },
        { file: 'client/src/View.vue', name: 'inView', lines: 90 },
        { file: 'server/fine.ts', name: 'short', lines: 95 },
      ],
    };
    expect(houseProblems(root, listed).filter((p) => !p.startsWith('import cycle') && !p.includes('cannot follow')).sort()).toEqual(
      [
        'server/long-function.ts:1 tooLong: 81 lines, more than the 80 it is allowed for now',
        'server/fine.ts: no longer over 300 lines: strike it off the allowlist',
        'server/fine.ts short: no longer over 80 lines (or gone): strike it off the allowlist',
      ].sort(),
    );
  });
});
