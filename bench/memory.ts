/**
 * Memory: 10,000 sessions created through the state manager on the memory store (each orders a
 * drink inside a turn), expired, swept; RSS and heap after a full GC before, at peak and after.
 *
 *   npm run bench:memory                 # 10,000 sessions
 *   npm run bench:memory -- --sessions 50000
 */
import { parseArgs } from 'node:util';
import { churnSessions } from '../server/testing/memoryChurn.ts';
import type { MemorySample } from '../server/testing/memoryChurn.ts';

const { values: args } = parseArgs({ options: { sessions: { type: 'string', default: '10000' } } });
const sessions = Number(args.sessions);
if (!(globalThis as { gc?: unknown }).gc)
  console.warn(
    '(run with node --expose-gc for the most exact figures; switching gc on at run time)',
  );

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const row = (label: string, m: MemorySample) =>
  `${label.padEnd(8)} rss ${mb(m.rssBytes).padStart(9)}   heapUsed ${mb(m.heapUsedBytes).padStart(9)}`;

const started = Date.now();
const r = await churnSessions(sessions);
console.log(
  `sessions created ${r.sessionsCreated}, swept ${r.sessionsSwept}, left ${r.sessionsLeft}, end hooks ${r.endHooksRun} (${Date.now() - started} ms)`,
);
console.log(row('before', r.before));
console.log(row('peak', r.peak));
console.log(row('after', r.after));
console.log(
  `heap per live session ≈ ${((r.peak.heapUsedBytes - r.before.heapUsedBytes) / sessions / 1024).toFixed(2)} KB; heap after sweep − before: ${mb(r.after.heapUsedBytes - r.before.heapUsedBytes)}`,
);
