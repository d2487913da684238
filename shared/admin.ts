/**
 * The back office's HTTP API (/admin/api/*): every body in both directions as a zod schema, used by
 * the server (validating requests) and the admin page (validating answers). The menu inside a
 * request is checked by the menu file's own schema (shared/menuFile.ts), with the same messages.
 */
import { z } from 'zod';
import { PAYMENT_STATUSES } from './domain.ts';
import { MenuFileSchema } from './menuFile.ts';

const cents = z.number().int().nonnegative();

/** One guest session as the back office sees it. */
export const AdminSessionSchema = z.object({
  /** The first characters of the session id (enough to tell guests apart, not to resume them). */
  id: z.string(),
  tabNo: z.number().int().min(1),
  tabCents: cents,
  tipPercent: z.number().int().nullable(),
  tipCents: cents,
  status: z.enum(PAYMENT_STATUSES),
  /** Drinks on the open tab. */
  drinks: z.number().int().nonnegative(),
  /** Paid on this session's earlier tabs tonight. */
  paidCents: cents,
  /** Epoch ms of the last change. */
  lastActivity: z.number(),
});
export type AdminSession = z.infer<typeof AdminSessionSchema>;

/** GET /admin/api/summary */
export const AdminSummarySchema = z.object({
  /** Tabs paid since `since` (start of today, server time), without tips. */
  salesCents: cents,
  tipsCents: cents,
  paidTabs: z.number().int().nonnegative(),
  /** Sessions with drinks on an unpaid tab. */
  openTabs: z.number().int().nonnegative(),
  since: z.number(),
  sessions: z.array(AdminSessionSchema),
  menuVersion: z.number().int(),
});
export type AdminSummary = z.infer<typeof AdminSummarySchema>;

/** GET /admin/api/menu */
export const AdminMenuSchema = z.object({
  version: z.number().int(),
  /** Where a change is kept: the menu file, Redis (every process), or this process's memory. */
  persistence: z.enum(['file', 'redis', 'memory']),
  menu: MenuFileSchema,
});
export type AdminMenu = z.infer<typeof AdminMenuSchema>;

/** PUT /admin/api/menu: the whole new menu; `expectedVersion` refuses to overwrite someone else's edit (409). */
export const AdminMenuPutSchema = z.strictObject({
  expectedVersion: z.number().int().min(0).optional(),
  /** Checked by the menu file schema (errors name the item and the field). */
  menu: z.unknown(),
});
export type AdminMenuPut = z.infer<typeof AdminMenuPutSchema>;

/** Every 4xx answer. `issues`: one line per problem, naming the item and the field. */
export const AdminErrorSchema = z.object({
  error: z.enum([
    'unauthorized',
    'bad_json',
    'invalid_request',
    'invalid_menu',
    'version_conflict',
    'too_large',
    'not_found',
    'method_not_allowed',
  ]),
  message: z.string(),
  issues: z.array(z.string()).optional(),
  currentVersion: z.number().int().optional(),
});
export type AdminError = z.infer<typeof AdminErrorSchema>;
