/**
 * The back office's calls to /admin/api, with the token as a bearer header; every answer is checked
 * against the shared schemas (shared/admin.ts), so a server change the page does not understand fails
 * loudly here instead of rendering nonsense.
 */
import { AdminErrorSchema, AdminMenuSchema, AdminSummarySchema } from '../../shared/admin.ts';
import type { AdminMenu, AdminSummary } from '../../shared/admin.ts';
import type { MenuFileInput } from '../../shared/menuFile.ts';

const TOKEN_KEY = 'maya-admin-token';

export const savedToken = () => localStorage.getItem(TOKEN_KEY);
export const saveToken = (t: string) => localStorage.setItem(TOKEN_KEY, t);
export const forgetToken = () => localStorage.removeItem(TOKEN_KEY);

export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

async function call(token: string, path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(path, {
    ...init,
    headers: {
      ...init.headers,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = AdminErrorSchema.safeParse(body);
    throw new AdminApiError(
      res.status,
      e.success ? e.data.message : `HTTP ${res.status}`,
      e.success ? (e.data.issues ?? []) : [],
    );
  }
  return body;
}

export const getSummary = async (token: string): Promise<AdminSummary> =>
  AdminSummarySchema.parse(await call(token, '/admin/api/summary'));
export const getMenu = async (token: string): Promise<AdminMenu> =>
  AdminMenuSchema.parse(await call(token, '/admin/api/menu'));
export const putMenu = async (
  token: string,
  menu: MenuFileInput,
  expectedVersion: number,
): Promise<AdminMenu> =>
  AdminMenuSchema.parse(
    await call(token, '/admin/api/menu', {
      method: 'PUT',
      body: JSON.stringify({ expectedVersion, menu }),
    }),
  );
