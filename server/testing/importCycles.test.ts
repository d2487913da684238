import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { edgesWithin, folderCycles, importEdges } from './importCycles.ts';

describe('the folder import-cycle check', () => {
  it('finds a cycle between two folders and names the imports that make it', () => {
    const edges = [
      { from: 'state/manager.ts', to: 'store/types.ts' },
      { from: 'store/memory.ts', to: 'state/session.ts' },
      { from: 'store/memory.ts', to: 'domain/errors.ts' },
      { from: 'app.ts', to: 'state/manager.ts' },
    ];
    expect(folderCycles(edges)).toEqual([['state', 'store']]);
    expect(edgesWithin(edges, ['state', 'store']).map((e) => e.from)).toEqual([
      'state/manager.ts',
      'store/memory.ts',
    ]);
  });

  it('finds a longer cycle, and none in a layered graph', () => {
    expect(
      folderCycles([
        { from: 'conversation/a.ts', to: 'llm/b.ts' },
        { from: 'llm/b.ts', to: 'payments/c.ts' },
        { from: 'payments/c.ts', to: 'conversation/d.ts' },
      ]),
    ).toEqual([['conversation', 'llm', 'payments']]);
    expect(
      folderCycles([
        { from: 'llm/gemini.ts', to: 'conversation/ports.ts' },
        { from: 'conversation/tools.ts', to: 'payments/service.ts' },
        { from: 'conversation/brain/brain.ts', to: 'conversation/ports.ts' },
      ]),
    ).toEqual([]);
  });

  it('server/ has no folder cycle today', () => {
    const server = fileURLToPath(new URL('..', import.meta.url));
    const edges = importEdges(server);
    expect(edges.length).toBeGreaterThan(100);
    expect(edges).toContainEqual({ from: 'state/manager.ts', to: 'store/types.ts' });
    expect(folderCycles(edges)).toEqual([]);
  });
});
