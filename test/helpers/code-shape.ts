import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Measures the shape of the source tree for test/unit/house-rules.test.ts: lines per file,
 * lines per function (with the TypeScript compiler, so a brace in a string or a comment does
 * not fool it) and the cycles of relative imports. Pure functions of the text they are given,
 * plus `sourceFiles`, which lists a folder.
 */

/** One function-like node: where it starts (1-based, in the file) and how many lines it spans. */
export interface FunctionLength {
  name: string;
  line: number;
  lines: number;
}

/** The TypeScript of a file: the whole of a .ts file, each `<script>` block of a .vue file. */
export interface ScriptBlock {
  text: string;
  /** Lines of the file before the block's first line, to report lines as the editor shows them. */
  lineOffset: number;
}

const SCRIPT_BLOCK = /<script\b[^>]*>([\s\S]*?)<\/script>/g;

export function scriptBlocks(fileName: string, text: string): ScriptBlock[] {
  if (!fileName.endsWith('.vue')) return [{ text, lineOffset: 0 }];
  const blocks: ScriptBlock[] = [];
  for (const m of text.matchAll(SCRIPT_BLOCK)) {
    const bodyStart = m.index + m[0].indexOf('>') + 1;
    blocks.push({ text: m[1]!, lineOffset: lineCount(text.slice(0, bodyStart)) - 1 });
  }
  return blocks;
}

/** Lines of a text as an editor numbers them: a final newline does not open a new line. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * Every function, method, accessor, constructor, arrow function and function expression in
 * the file, with its length in lines from its first line (the signature) to its last.
 * A function inside another is measured on its own as well: the outer one counts its lines too.
 */
export function functionLengths(fileName: string, text: string): FunctionLength[] {
  const found: FunctionLength[] = [];
  for (const block of scriptBlocks(fileName, text)) {
    const sf = ts.createSourceFile(fileName, block.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
        const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        found.push({ name: functionName(node, sf), line: first + 1 + block.lineOffset, lines: last - first + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

/**
 * A name a reader can find: the function's own, else what holds it (`const x = () => …`,
 * `{ x: function () {} }`), else the call it is handed to (`defineStore callback`).
 */
function functionName(node: ts.SignatureDeclaration, sf: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name !== undefined) return node.name.getText(sf);
  const holder = node.parent;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && holder.name !== undefined) {
    return holder.name.getText(sf);
  }
  if (ts.isCallExpression(holder)) {
    const callee = holder.expression;
    const calleeName = ts.isPropertyAccessExpression(callee) ? callee.name.getText(sf) : callee.getText(sf);
    return `${calleeName} callback`;
  }
  return '(anonymous)';
}

/** The module specifiers of a file's imports and re-exports (static and `import()`), in order. */
export function importSpecifiers(fileName: string, text: string): string[] {
  const found: string[] = [];
  for (const block of scriptBlocks(fileName, text)) {
    const sf = ts.createSourceFile(fileName, block.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        found.push(node.moduleSpecifier.text);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
        found.push(node.arguments[0].text);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

/**
 * The file a relative specifier names, among `known` files (paths relative to the root, with
 * `/`): TypeScript's NodeNext convention writes `./x.js` for `x.ts`; Vite's `./X.vue` and
 * extensionless `./x` (meaning `x.ts` or `x/index.ts`) are tried too. Null for a package or a
 * file outside `known`.
 */
export function resolveRelative(fromFile: string, specifier: string, known: ReadonlySet<string>): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
  const candidates = [target, target.replace(/\.js$/, '.ts'), `${target}.ts`, `${target}/index.ts`];
  return candidates.find((c) => known.has(c)) ?? null;
}

/**
 * The import cycles of a graph (file → the files it imports): one cycle per strongly
 * connected group (Tarjan), written as the path that closes it, `a → b → a`. Empty when the
 * graph has none.
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;
  const strongConnect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      group.push(w);
      if (w === v) break;
    }
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group);
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strongConnect(v);
  return groups.map((group) => cycleThrough(graph, new Set(group)));
}

/** A path that starts and ends at the group's first file (sorted), staying inside the group. */
function cycleThrough(graph: ReadonlyMap<string, readonly string[]>, group: ReadonlySet<string>): string[] {
  const start = [...group].sort()[0]!;
  // Breadth-first from start back to start: the shortest cycle, the easiest to read.
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!group.has(w)) continue;
      if (w === start) {
        const between: string[] = [];
        for (let at = v; at !== start; at = cameFrom.get(at)!) between.unshift(at);
        return [start, ...between, start];
      }
      if (!cameFrom.has(w)) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...group].sort();
}

/** The .ts and .vue files under `dir` (relative to `root`, with `/`), skipping node_modules and dist. */
export function sourceFiles(root: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(child);
      } else if (/\.(ts|vue)$/.test(entry.name)) {
        found.push(child);
      }
    }
  };
  walk(dir);
  return found.sort();
}

export const readSource = (root: string, file: string): string => readFileSync(path.join(root, file), 'utf8');
