/** Decorators that measure adapters from the outside, so measuring never changes their code path. */
import type { SessionStore } from '../store/types.ts';
import type { Llm } from '../conversation/ports.ts';
import type { Metrics } from './metrics.ts';

export function instrumentStore(store: SessionStore, metrics: Metrics): SessionStore {
  const timed =
    <A extends unknown[], R>(op: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const end = metrics.storeOpSeconds.startTimer({ op, store: store.kind });
      try {
        return await fn(...args);
      } finally {
        end();
      }
    };
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      if (prop === 'get' || prop === 'create' || prop === 'compareAndSet' || prop === 'delete') {
        return timed(String(prop), bound as (...a: unknown[]) => Promise<unknown>);
      }
      return bound;
    },
  });
}

export function instrumentLlm(llm: Llm, metrics: Metrics): Llm {
  return {
    name: llm.name,
    turn: (input) => metrics.time('brain', () => llm.turn(input)),
  };
}
