/**
 * Redis store. Every check-and-write runs as one Lua script inside Redis (never read-modify-write
 * from Node), so any number of server processes can share sessions safely. A session is a hash
 * { v: version, s: JSON state, e: expiresAt ms, p: pinned "1"|"0" } with a key TTL at `expiresAt`
 * (no TTL while pinned). Committed changes are published, so every process can push them to its
 * own websocket clients.
 */
import { randomBytes } from 'node:crypto';
import { Redis, ReplyError } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { DomainError } from '../domain/errors.ts';
import { isPinned } from '../domain/session.ts';
import type { SessionState } from '../domain/session.ts';
import { decodeSession, encodeSession } from './codec.ts';
import { StoreUnavailableError } from './types.ts';
import type { SessionStore, WriteOptions } from './types.ts';

export const DEFAULT_REDIS_KEY_PREFIX = 'maya:';
/** How long a command may wait for a (re)connection before failing: a down store must answer fast. */
const CONNECT_TIMEOUT_MS = 2_000;
/** ioredis re-exports redis-errors' ReplyError untyped: Redis answered, with an error. */
const RedisReplyError = ReplyError as abstract new (...args: never[]) => Error;

/**
 * Runs one Redis operation. An error Redis answered with (a ReplyError) or a domain error passes
 * through; anything else means Redis could not be reached (refused, closed, timed out, retries
 * exhausted) and becomes a StoreUnavailableError, so callers never read error text.
 */
async function reach<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (e) {
    if (
      e instanceof DomainError ||
      e instanceof RedisReplyError ||
      e instanceof StoreUnavailableError
    )
      throw e;
    throw new StoreUnavailableError('redis', e);
  }
}

// A hash type check comes first everywhere: foreign data under our key is an error, never a write.
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 's', ARGV[2], 'e', ARGV[3], 'p', ARGV[4])
if ARGV[4] ~= '1' then redis.call('PEXPIREAT', KEYS[1], ARGV[3]) end
return 1`;

// KEYS: session, lock. ARGV: expected version, next version, json, expiresAt, pinned, now, fence
// token ('' = none), channel, origin. Returns 1 written, 0 version mismatch/missing, -1 corrupt, -2 fenced.
const COMPARE_AND_SET = `
local t = redis.call('TYPE', KEYS[1]).ok
if t == 'none' then return 0 end
if t ~= 'hash' then return -1 end
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if ARGV[7] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[7] then return -2 end
local p = redis.call('HGET', KEYS[1], 'p')
local e = tonumber(redis.call('HGET', KEYS[1], 'e'))
if p ~= '1' and (e == nil or e <= tonumber(ARGV[6])) then return 0 end
if v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3], 'e', ARGV[4], 'p', ARGV[5])
if ARGV[5] == '1' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIREAT', KEYS[1], ARGV[4]) end
redis.call('PUBLISH', ARGV[8], ARGV[9] .. '|' .. ARGV[3])
return 1`;

const DELETE_IF_EXPIRED = `
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
if redis.call('HGET', KEYS[1], 'p') == '1' then return 0 end
local e = tonumber(redis.call('HGET', KEYS[1], 'e'))
if e == nil or e > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
return 1`;

// KEYS: lock, global token counter. Tokens grow across all sessions and grants (fencing).
const ACQUIRE_LOCK = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
return token`;

const EXTEND_LOCK = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

interface Scripts {
  mayaCreate(
    session: string,
    version: string,
    json: string,
    expiresAt: string,
    pinned: string,
  ): Promise<number>;
  mayaCas(session: string, lock: string, ...argv: string[]): Promise<number>;
  mayaDeleteIfExpired(session: string, lock: string, now: string): Promise<number>;
  mayaAcquire(lock: string, counter: string, ttlMs: string): Promise<number>;
  mayaExtend(lock: string, token: string, ttlMs: string): Promise<number>;
  mayaRelease(lock: string, token: string): Promise<number>;
}
type ScriptedRedis = Redis & Scripts;

export interface RedisStoreOptions {
  url: string;
  /** Namespace of every key and the change channel; tests use a unique one per run. */
  keyPrefix?: string;
  now?: () => number;
}

export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis' as const;
  private readonly listeners = new Set<(s: SessionState) => void>();
  /** Lets this process skip its own published changes: it already told its listeners. */
  private readonly origin = randomBytes(8).toString('hex');
  /** Namespace of every key and the change channel. */
  readonly keyPrefix: string;
  private readonly channel: string;
  private readonly now: () => number;

  private constructor(
    private readonly client: ScriptedRedis,
    private readonly subscriber: Redis,
    options: RedisStoreOptions,
  ) {
    this.keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    this.channel = `${this.keyPrefix}changes`;
    this.now = options.now ?? Date.now;
  }

  /** Connect both connections (commands, pub/sub) and subscribe before the store is used. */
  static async connect(options: RedisStoreOptions): Promise<RedisSessionStore> {
    const redisOptions: RedisOptions = {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      maxRetriesPerRequest: 2,
    };
    const client = new Redis(options.url, redisOptions) as ScriptedRedis;
    client.defineCommand('mayaCreate', { numberOfKeys: 1, lua: CREATE });
    client.defineCommand('mayaCas', { numberOfKeys: 2, lua: COMPARE_AND_SET });
    client.defineCommand('mayaDeleteIfExpired', { numberOfKeys: 2, lua: DELETE_IF_EXPIRED });
    client.defineCommand('mayaAcquire', { numberOfKeys: 2, lua: ACQUIRE_LOCK });
    client.defineCommand('mayaExtend', { numberOfKeys: 1, lua: EXTEND_LOCK });
    client.defineCommand('mayaRelease', { numberOfKeys: 1, lua: RELEASE_LOCK });
    const subscriber = new Redis(options.url, redisOptions);
    // Without a listener ioredis prints every reconnect error; ping() and commands report them.
    client.on('error', () => undefined);
    subscriber.on('error', () => undefined);
    try {
      await client.connect();
      await subscriber.connect();
    } catch (e) {
      client.disconnect();
      subscriber.disconnect();
      throw new Error(`Cannot reach Redis at ${redactUrl(options.url)}: ${(e as Error).message}`);
    }
    const store = new RedisSessionStore(client, subscriber, options);
    subscriber.on('message', (channel: string, message: string) =>
      store.received(channel, message),
    );
    await subscriber.subscribe(store.channel);
    return store;
  }

  async create(state: SessionState): Promise<boolean> {
    const json = encodeSession(state);
    const ok = await reach(() =>
      this.client.mayaCreate(
        this.key(state.id),
        String(state.version),
        json,
        String(state.expiresAt),
        isPinned(state) ? '1' : '0',
      ),
    );
    return ok === 1;
  }

  async get(id: string): Promise<SessionState | null> {
    let fields: (string | null)[];
    try {
      fields = await reach(() => this.client.hmget(this.key(id), 's', 'e', 'p'));
    } catch (e) {
      if (String((e as Error).message).startsWith('WRONGTYPE'))
        throw new DomainError('INVALID_SESSION', `Session ${id} holds unreadable data.`);
      throw e;
    }
    const [raw, expiresAt, pinned] = fields;
    if (raw === null || raw === undefined) {
      if (expiresAt !== null || pinned !== null)
        throw new DomainError('INVALID_SESSION', `Session ${id} holds unreadable data.`);
      return null;
    }
    const state = decodeSession(raw, id);
    if (pinned !== '1' && Number(expiresAt) <= this.now()) return null;
    return state;
  }

  async compareAndSet(
    id: string,
    expectedVersion: number,
    next: SessionState,
    options: WriteOptions = {},
  ): Promise<boolean> {
    const json = encodeSession(next);
    if (next.version !== expectedVersion + 1 || next.id !== id) return false;
    const result = await reach(() =>
      this.client.mayaCas(
        this.key(id),
        this.lockKey(id),
        String(expectedVersion),
        String(next.version),
        json,
        String(next.expiresAt),
        isPinned(next) ? '1' : '0',
        String(this.now()),
        options.fenceToken === undefined ? '' : String(options.fenceToken),
        this.channel,
        this.origin,
      ),
    );
    if (result === -1)
      throw new DomainError('INVALID_SESSION', `Session ${id} holds unreadable data.`);
    if (result === -2)
      throw new DomainError(
        'CONCURRENT_MODIFICATION',
        'This turn lost its lock on the session; its change was not saved.',
      );
    if (result !== 1) return false;
    this.notify(next);
    return true;
  }

  async delete(id: string): Promise<void> {
    await reach(() => this.client.del(this.key(id), this.lockKey(id)));
  }

  async deleteIfExpired(id: string, now: number): Promise<boolean> {
    return (
      (await reach(() =>
        this.client.mayaDeleteIfExpired(this.key(id), this.lockKey(id), String(now)),
      )) === 1
    );
  }

  async listIds(): Promise<string[]> {
    const ids: string[] = [];
    const keyStart = `${this.keyPrefix}s:{`;
    let cursor = '0';
    do {
      const [nextCursor, keys] = await reach(() =>
        this.client.scan(cursor, 'MATCH', `${keyStart}*`, 'COUNT', 1000),
      );
      for (const k of keys) ids.push(k.slice(keyStart.length, -1));
      cursor = nextCursor;
    } while (cursor !== '0');
    return ids;
  }

  async acquireLock(id: string, ttlMs: number): Promise<number | null> {
    const token = await reach(() =>
      this.client.mayaAcquire(
        this.lockKey(id),
        `${this.keyPrefix}lock-token`,
        String(Math.ceil(ttlMs)),
      ),
    );
    return token === 0 ? null : token;
  }

  async extendLock(id: string, token: number, ttlMs: number): Promise<boolean> {
    return (
      (await reach(() =>
        this.client.mayaExtend(this.lockKey(id), String(token), String(Math.ceil(ttlMs))),
      )) === 1
    );
  }

  async releaseLock(id: string, token: number): Promise<boolean> {
    return (await reach(() => this.client.mayaRelease(this.lockKey(id), String(token)))) === 1;
  }

  onChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.allSettled([this.subscriber.quit(), this.client.quit()]);
  }

  /** Test seam: the raw connection (to plant corrupt data, inspect TTLs). */
  get raw(): Redis {
    return this.client;
  }

  key(id: string): string {
    // The hash tag keeps a session and its lock in one cluster slot (scripts touch both).
    return `${this.keyPrefix}s:{${id}}`;
  }

  lockKey(id: string): string {
    return `${this.keyPrefix}lock:{${id}}`;
  }

  private received(channel: string, message: string): void {
    if (channel !== this.channel) return;
    const bar = message.indexOf('|');
    if (bar < 0 || message.slice(0, bar) === this.origin) return;
    let state: SessionState;
    try {
      const json = message.slice(bar + 1);
      state = decodeSession(json, (JSON.parse(json) as { id?: unknown }).id as string);
    } catch {
      return; // a foreign or corrupt message on our channel is ignored
    }
    this.notify(state);
  }

  private notify(state: SessionState): void {
    for (const l of this.listeners) {
      try {
        l(state);
      } catch {
        // a failing listener must not undo a committed write or starve the others
      }
    }
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
