/**
 * The live menu. A `MenuSource` hands out the current `Menu` (a turn reads one and keeps it) and tells
 * subscribers when it changes; a `MenuCatalog` can also replace it (the back office). Two catalogs:
 *   - local: the menu file (MAYA_MENU, written atomically: a temp file then rename) or, with the
 *     bundled menu, memory only;
 *   - Redis (REDIS_URL): a versioned key shared by every process, with a pub/sub notice on change, so
 *     every process takes the new menu for its next order without a restart.
 * Every write is validated like the file (validateMenu) and compare-and-set on the version.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { BUNDLED_MENU, Menu } from '../../shared/menu.ts';
import { parseMenuFile, validateMenu } from '../../shared/menuFile.ts';
import type { MenuFile } from '../../shared/menuFile.ts';

export interface MenuSource {
  /** The menu in force now. */
  current(): Menu;
  /** Its version: 1 at start-up (or Redis's), +1 per change. */
  version(): number;
  /** Called after every change (on every process with Redis). Returns an unsubscribe. */
  onChange(listener: (menu: Menu, version: number) => void): () => void;
}

export class MenuVersionConflict extends Error {
  override readonly name = 'MenuVersionConflict';
  constructor(readonly currentVersion: number) {
    super(
      `The menu was changed meanwhile (now version ${currentVersion}); reload it and try again.`,
    );
  }
}

export interface MenuCatalog extends MenuSource {
  /** Where changes are kept: the menu file, Redis, or this process's memory (bundled menu, no Redis). */
  readonly persistence: 'file' | 'redis' | 'memory';
  /** Validate, persist and put in force; `expectedVersion` guards against overwriting someone's edit. */
  replace(data: unknown, expectedVersion?: number): Promise<{ menu: Menu; version: number }>;
  close(): Promise<void>;
}

/** A menu that never changes (tests, benches, a brain made on its own). */
export function fixedMenu(menu: Menu = BUNDLED_MENU): MenuSource {
  return { current: () => menu, version: () => 1, onChange: () => () => undefined };
}

/** MAYA_MENU's file, or the bundled menu; throws MenuFileError naming the file, the item and the field. */
export function loadMenuFile(path: string | undefined): Menu {
  if (!path) return BUNDLED_MENU;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(
      `Cannot read the menu file ${path} (MAYA_MENU): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return new Menu(parseMenuFile(text, path));
}

abstract class BaseCatalog {
  protected menu: Menu;
  protected ver = 1;
  private readonly listeners = new Set<(menu: Menu, version: number) => void>();
  constructor(initial: Menu) {
    this.menu = initial;
  }
  current(): Menu {
    return this.menu;
  }
  version(): number {
    return this.ver;
  }
  onChange(listener: (menu: Menu, version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  protected apply(menu: Menu, version: number): void {
    if (version <= this.ver) return;
    this.menu = menu;
    this.ver = version;
    for (const l of this.listeners) l(menu, version);
  }
}

/** The menu file (written atomically) or memory. */
export class LocalMenuCatalog extends BaseCatalog implements MenuCatalog {
  readonly persistence: 'file' | 'memory';
  /** Writes run one at a time, so versions and the file stay in step. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    initial: Menu,
    private readonly path?: string,
  ) {
    super(initial);
    this.persistence = path ? 'file' : 'memory';
  }

  replace(data: unknown, expectedVersion?: number): Promise<{ menu: Menu; version: number }> {
    const run = this.queue.then(async () => {
      const file = validateMenu(data, 'the menu');
      if (expectedVersion !== undefined && expectedVersion !== this.ver)
        throw new MenuVersionConflict(this.ver);
      if (this.path) await writeAtomically(this.path, `${JSON.stringify(file, null, 2)}\n`);
      this.apply(new Menu(file), this.ver + 1);
      return { menu: this.menu, version: this.ver };
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {}
}

/** Write a temp file beside `path`, then rename over it: a reader sees the old file or the new one, never half. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, path);
}

// KEYS: menu hash. ARGV: expected version ('' = any), json. Returns the new version, or -(current version) on mismatch.
const REPLACE = `
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= v then return -v end
redis.call('HSET', KEYS[1], 'v', v + 1, 'json', ARGV[2])
redis.call('PUBLISH', ARGV[3], tostring(v + 1))
return v + 1`;

type ScriptedRedis = Redis & {
  mayaMenuReplace(key: string, expected: string, json: string, channel: string): Promise<number>;
};

/** The menu in Redis: `<prefix>menu` = { v, json }; `<prefix>menu:changed` carries each new version. */
export class RedisMenuCatalog extends BaseCatalog implements MenuCatalog {
  readonly persistence = 'redis' as const;
  private readonly key: string;
  private readonly channel: string;

  private constructor(
    initial: Menu,
    version: number,
    private readonly redis: ScriptedRedis,
    private readonly sub: Redis,
    prefix: string,
  ) {
    super(initial);
    this.ver = version;
    this.key = `${prefix}menu`;
    this.channel = `${prefix}menu:changed`;
  }

  /**
   * Connect; the menu already in Redis wins (another process, or an earlier edit), else `seed` (the
   * file or bundled menu) is stored as version 1. A menu in Redis that fails validation stops start-up.
   */
  static async connect({
    url,
    keyPrefix,
    seed,
  }: {
    url: string;
    keyPrefix: string;
    seed: Menu;
  }): Promise<RedisMenuCatalog> {
    const redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: 2_000,
      maxRetriesPerRequest: 2,
    }) as ScriptedRedis;
    redis.defineCommand('mayaMenuReplace', { numberOfKeys: 1, lua: REPLACE });
    const sub = new Redis(url, { lazyConnect: true, connectTimeout: 2_000 });
    redis.on('error', () => undefined);
    sub.on('error', () => undefined);
    try {
      await Promise.all([redis.connect(), sub.connect()]);
    } catch (e) {
      redis.disconnect();
      sub.disconnect();
      throw new Error(
        `Cannot reach Redis for the menu: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const key = `${keyPrefix}menu`;
    await redis.hsetnx(key, 'json', JSON.stringify(seed.file));
    await redis.hsetnx(key, 'v', '1');
    const [v, json] = await redis.hmget(key, 'v', 'json');
    const menu = new Menu(parseMenuFile(json ?? '', `Redis key ${key}`));
    const catalog = new RedisMenuCatalog(menu, Number(v ?? 1), redis, sub, keyPrefix);
    sub.on('message', (channel: string) => {
      if (channel === catalog.channel) void catalog.refresh().catch(() => undefined);
    });
    await sub.subscribe(catalog.channel);
    // A change published while we subscribed would be missed: read once more.
    await catalog.refresh();
    return catalog;
  }

  /** Read the menu from Redis and put it in force when newer. */
  async refresh(): Promise<void> {
    const [v, json] = await this.redis.hmget(this.key, 'v', 'json');
    const version = Number(v ?? 0);
    if (!json || version <= this.ver) return;
    this.apply(new Menu(parseMenuFile(json, `Redis key ${this.key}`)), version);
  }

  async replace(data: unknown, expectedVersion?: number): Promise<{ menu: Menu; version: number }> {
    const file: MenuFile = validateMenu(data, 'the menu');
    const result = await this.redis.mayaMenuReplace(
      this.key,
      expectedVersion === undefined ? '' : String(expectedVersion),
      JSON.stringify(file),
      this.channel,
    );
    if (result <= 0) throw new MenuVersionConflict(-result);
    this.apply(new Menu(file), result);
    return { menu: this.menu, version: result };
  }

  async close(): Promise<void> {
    this.sub.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
