/**
 * The back office (MAYA_ADMIN_TOKEN): the page at /admin and its API.
 *   GET /admin/api/summary  tonight's sales, tips, paid and open tabs, and the live sessions
 *   GET /admin/api/menu     the menu in force and its version
 *   PUT /admin/api/menu     replace the menu (validated like the file; 409 if someone else changed it)
 * Every API call needs `Authorization: Bearer <token>` (401 otherwise); without MAYA_ADMIN_TOKEN
 * every /admin path answers 404. Every write is logged with the token's fingerprint and the time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { AdminMenuPutSchema } from '../../shared/admin.ts';
import type { AdminError, AdminMenu, AdminSession, AdminSummary } from '../../shared/admin.ts';
import { MenuFileError, describeIssue } from '../../shared/menuFile.ts';
import type { Menu } from '../../shared/menu.ts';
import type { SessionStore } from '../store/types.ts';
import type { SessionState } from '../domain/session.ts';
import { MenuVersionConflict } from '../menu/catalog.ts';
import type { MenuCatalog } from '../menu/catalog.ts';
import { AdminAuth } from './auth.ts';

/** A whole menu of 300 drinks with descriptions fits well inside this. */
export const MAX_ADMIN_BODY_BYTES = 512 * 1024;

export interface AdminDeps {
  /** MAYA_ADMIN_TOKEN; undefined turns the back office off (404). */
  token: string | undefined;
  store: SessionStore;
  menu: MenuCatalog;
  log: Logger;
  /** Serves the admin page (the built admin.html). */
  page: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  now?: () => number;
}

/** Midnight today, server time: "tonight" for the sales figures. */
export function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Tonight's figures from the sessions the store holds. */
export function summarise(
  states: readonly SessionState[],
  since: number,
  menuVersion: number,
): AdminSummary {
  let salesCents = 0;
  let tipsCents = 0;
  let paidTabs = 0;
  const sessions: AdminSession[] = [];
  for (const s of states) {
    let paidTonight = 0;
    for (const h of s.orderHistory) {
      if (h.paidAt < since) continue;
      salesCents += h.tabCents;
      tipsCents += h.tipCents;
      paidTonight += h.tabCents + h.tipCents;
      paidTabs++;
    }
    const p = s.payment;
    sessions.push({
      id: s.id.slice(0, 8),
      tabNo: p.tabNo,
      tabCents: p.tabCents,
      tipPercent: p.tipPercent,
      tipCents: p.tipCents,
      status: p.status,
      drinks: s.order.reduce((n, l) => n + l.quantity, 0),
      paidCents: paidTonight,
      lastActivity: s.updatedAt,
    });
  }
  sessions.sort((a, b) => b.lastActivity - a.lastActivity);
  return {
    salesCents,
    tipsCents,
    paidTabs,
    openTabs: sessions.filter((s) => s.tabCents > 0).length,
    since,
    sessions,
    menuVersion,
  };
}

/** What changed between two menus, for the log: "added Paloma; Martini 1300→1400; removed Rum". */
export function menuChanges(before: Menu, after: Menu): string[] {
  const out: string[] = [];
  const old = new Map(before.items.map((i) => [i.name, i]));
  const next = new Map(after.items.map((i) => [i.name, i]));
  for (const [name, i] of next) {
    const was = old.get(name);
    if (!was) out.push(`added ${name} (${i.priceCents})`);
    else if (was.priceCents !== i.priceCents) out.push(`${name} ${was.priceCents}→${i.priceCents}`);
    else if (JSON.stringify(was) !== JSON.stringify(i)) out.push(`edited ${name}`);
  }
  for (const name of old.keys()) if (!next.has(name)) out.push(`removed ${name}`);
  return out;
}

export function createAdminRoutes(deps: AdminDeps) {
  const auth = deps.token ? new AdminAuth(deps.token) : null;
  const now = deps.now ?? Date.now;

  async function summary(res: ServerResponse): Promise<void> {
    const ids = await deps.store.listIds();
    const states = (
      await Promise.all(ids.map((id) => deps.store.get(id).catch(() => null)))
    ).filter((s): s is SessionState => s !== null);
    json(res, 200, summarise(states, startOfDay(now()), deps.menu.version()));
  }

  function menu(res: ServerResponse): void {
    const body: AdminMenu = {
      version: deps.menu.version(),
      persistence: deps.menu.persistence,
      menu: deps.menu.current().file,
    };
    json(res, 200, body);
  }

  async function putMenu(req: IncomingMessage, res: ServerResponse, who: string): Promise<void> {
    const raw = await readBody(req, MAX_ADMIN_BODY_BYTES);
    if (raw === null)
      return error(res, 413, {
        error: 'too_large',
        message: `Bodies are limited to ${MAX_ADMIN_BODY_BYTES} bytes.`,
      });
    let data: unknown;
    try {
      data = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      return error(res, 400, {
        error: 'bad_json',
        message: `The body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    const parsed = AdminMenuPutSchema.safeParse(data);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => describeIssue(data, i));
      return error(res, 400, {
        error: 'invalid_request',
        message: `The request is not { expectedVersion?, menu }: ${issues.join('; ')}`,
        issues,
      });
    }
    const before = deps.menu.current();
    try {
      const { menu: after, version } = await deps.menu.replace(
        parsed.data.menu,
        parsed.data.expectedVersion,
      );
      deps.log.info(
        {
          admin: who,
          at: new Date(now()).toISOString(),
          version,
          changes: menuChanges(before, after),
        },
        'admin: menu changed',
      );
      const body: AdminMenu = { version, persistence: deps.menu.persistence, menu: after.file };
      json(res, 200, body);
    } catch (e) {
      if (e instanceof MenuFileError) {
        deps.log.warn({ admin: who, issues: e.issues }, 'admin: menu change refused');
        return error(res, 400, {
          error: 'invalid_menu',
          message: e.issues.join('\n'),
          issues: [...e.issues],
        });
      }
      if (e instanceof MenuVersionConflict)
        return error(res, 409, {
          error: 'version_conflict',
          message: e.message,
          currentVersion: e.currentVersion,
        });
      throw e;
    }
  }

  /** Handle an /admin path; false when the path is not one of ours. */
  function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== '/admin' && !path.startsWith('/admin/')) return false;
    if (!auth) {
      res.writeHead(404).end();
      return true;
    }
    let work: Promise<void>;
    if (path === '/admin' || path === '/admin/') {
      work =
        req.method === 'GET' || req.method === 'HEAD'
          ? deps.page(req, res)
          : Promise.resolve(error(res, 405, { error: 'method_not_allowed', message: 'GET only.' }));
    } else if (path.startsWith('/admin/api/')) {
      const who = auth.check(req);
      if (!who) {
        res.setHeader('www-authenticate', 'Bearer realm="maya-admin"');
        work = Promise.resolve(
          error(res, 401, {
            error: 'unauthorized',
            message: 'Send the back-office token as "Authorization: Bearer <token>".',
          }),
        );
      } else if (path === '/admin/api/summary' && req.method === 'GET') work = summary(res);
      else if (path === '/admin/api/menu' && req.method === 'GET')
        work = Promise.resolve(menu(res));
      else if (path === '/admin/api/menu' && req.method === 'PUT') work = putMenu(req, res, who);
      else if (path === '/admin/api/summary' || path === '/admin/api/menu')
        work = Promise.resolve(
          error(res, 405, { error: 'method_not_allowed', message: 'Not allowed on this path.' }),
        );
      else
        work = Promise.resolve(
          error(res, 404, { error: 'not_found', message: 'No such admin route.' }),
        );
    } else {
      work = Promise.resolve(
        error(res, 404, { error: 'not_found', message: 'No such admin page.' }),
      );
    }
    work.catch((err: unknown) => {
      deps.log.error({ err, path }, 'admin route failed');
      if (!res.headersSent) json(res, 500, { error: 'internal', message: 'Something went wrong.' });
    });
    return true;
  }

  return { handle };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, body: AdminError): void {
  json(res, status, body);
}
