/**
 * Folder-level import cycles under server/: every production file (tests left out) is read for its
 * relative imports, each file stands for its top folder under server/ (`server/state/manager.ts` →
 * `state`, `server/app.ts` → `app`), and the folder graph is searched for cycles. `npm test` runs it
 * (`npm run check:cycles`); it prints each cycle with the imports that make it and exits 1.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One import of one file: from which file, to which file. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

const SOURCE = /\.(ts|tsx|mts|mjs)$/;
const TEST = /\.test\.(ts|tsx)$/;
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path);
    return SOURCE.test(entry.name) && !TEST.test(entry.name) ? [path] : [];
  });
}

/** Removes comments so an import named in a comment draws no edge. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Every relative import between production files under `serverDir`, as paths relative to it. */
export function importEdges(serverDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of filesUnder(serverDir)) {
    const text = withoutComments(readFileSync(file, 'utf8'));
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? '';
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      const to = relative(serverDir, target);
      if (to.startsWith('..')) continue; // shared/ and the rest of the repo sit outside the graph
      edges.push({ from: relative(serverDir, file), to });
    }
  }
  return edges;
}

/** The folder a server file belongs to: its first path segment (or the file's own name at the top). */
export function folderOf(path: string): string {
  const [first, ...rest] = path.split(sep);
  return rest.length === 0 ? (first ?? path).replace(SOURCE, '') : (first ?? path);
}

/** Strongly connected folders (Tarjan) with more than one member: each one is a cycle. */
export function folderCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = folderOf(from);
    const b = folderOf(to);
    if (!next.has(a)) next.set(a, new Set());
    if (!next.has(b)) next.set(b, new Set());
    if (a !== b) next.get(a)?.add(b);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const members: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        members.push(member);
      } while (member !== node);
      if (members.length > 1) cycles.push(members.sort());
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

/** The file imports that tie the folders of one cycle together, for the report. */
export function edgesWithin(edges: readonly ImportEdge[], cycle: readonly string[]): ImportEdge[] {
  const members = new Set(cycle);
  return edges.filter(
    (edge) =>
      folderOf(edge.from) !== folderOf(edge.to) &&
      members.has(folderOf(edge.from)) &&
      members.has(folderOf(edge.to)),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const serverDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const edges = importEdges(serverDir);
  const cycles = folderCycles(edges);
  if (cycles.length === 0) {
    console.log(
      `import cycles: none between the folders of server/ (${edges.length} imports read)`,
    );
  } else {
    for (const cycle of cycles) {
      console.error(`import cycle between server/ folders: ${cycle.join(' ↔ ')}`);
      for (const edge of edgesWithin(edges, cycle)) console.error(`  ${edge.from} → ${edge.to}`);
    }
    process.exit(1);
  }
}
