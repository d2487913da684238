/**
 * The back office: sign in with the token, then tonight's figures, the live sessions (refreshed every
 * 2 s) and the menu editor (add, remove, rename, reprice; saved as a whole menu, validated by the
 * server with the menu file's own rules, refused if someone else saved meanwhile).
 */
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { formatCents } from '../../shared/money.ts';
import { MENU_CATEGORIES, recommendationItem } from '../../shared/menuFile.ts';
import type { MenuCategory, MenuFile, MenuFileInput } from '../../shared/menuFile.ts';
import type { AdminMenu, AdminSummary } from '../../shared/admin.ts';
import {
  AdminApiError,
  forgetToken,
  getMenu,
  getSummary,
  putMenu,
  saveToken,
  savedToken,
} from './api.ts';
import { parsePrice, priceText } from './price.ts';

const REFRESH_MS = 2000;

export function AdminApp() {
  const [token, setToken] = useState<string | null>(() => savedToken());
  if (!token) return <Login onToken={(t) => (saveToken(t), setToken(t))} />;
  return <Dashboard token={token} onSignOut={() => (forgetToken(), setToken(null))} />;
}

function Login({ onToken }: { onToken: (t: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await getSummary(value.trim());
      onToken(value.trim());
    } catch (err) {
      setError(
        err instanceof AdminApiError && err.status === 401
          ? 'That token is not right.'
          : `Could not reach Maya: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
  return (
    <main className="admin-login">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>Maya · back office</h1>
        <label>
          Admin token
          <input
            type="password"
            autoComplete="current-password"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoFocus
          />
        </label>
        <button type="submit" disabled={!value.trim()}>
          Sign in
        </button>
        {error && (
          <p role="alert" className="admin-error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

function Dashboard({ token, onSignOut }: { token: string; onSignOut: () => void }) {
  const [summary, setSummary] = useState<AdminSummary | null>(null);
  const [problem, setProblem] = useState('');
  const refresh = useCallback(async () => {
    try {
      setSummary(await getSummary(token));
      setProblem('');
    } catch (err) {
      if (err instanceof AdminApiError && err.status === 401) return onSignOut();
      setProblem(err instanceof Error ? err.message : String(err));
    }
  }, [token, onSignOut]);
  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(t);
  }, [refresh]);

  return (
    <div className="admin">
      <header className="admin-top">
        <h1>Maya · back office</h1>
        {problem && <span className="admin-error">{problem}</span>}
        <button type="button" className="quiet" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <section className="admin-figures" aria-label="Tonight">
        <Figure
          label="Sales tonight"
          value={summary ? formatCents(summary.salesCents) : '—'}
          testId="sales"
        />
        <Figure label="Tips" value={summary ? formatCents(summary.tipsCents) : '—'} testId="tips" />
        <Figure
          label="Paid tabs"
          value={summary ? String(summary.paidTabs) : '—'}
          testId="paid-tabs"
        />
        <Figure
          label="Open tabs"
          value={summary ? String(summary.openTabs) : '—'}
          testId="open-tabs"
        />
      </section>
      <div className="admin-columns">
        <Sessions summary={summary} />
        <MenuEditor token={token} onSaved={() => void refresh()} />
      </div>
    </div>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="admin-figure">
      <span>{label}</span>
      <strong data-testid={testId}>{value}</strong>
    </div>
  );
}

const ago = (ms: number) =>
  ms < 60_000
    ? `${Math.max(0, Math.round(ms / 1000))} s ago`
    : ms < 3_600_000
      ? `${Math.round(ms / 60_000)} min ago`
      : `${Math.round(ms / 3_600_000)} h ago`;

function Sessions({ summary }: { summary: AdminSummary | null }) {
  const sessions = summary?.sessions ?? [];
  return (
    <section className="admin-panel" aria-label="Live sessions">
      <h2>
        Live sessions <small>{sessions.length}</small>
      </h2>
      {sessions.length === 0 ? (
        <p className="muted">No guests yet tonight.</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th>Guest</th>
              <th>Tab #</th>
              <th>Drinks</th>
              <th className="num">Open tab</th>
              <th className="num">Tip</th>
              <th className="num">Paid</th>
              <th>Status</th>
              <th>Last activity</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  <code>{s.id}</code>
                </td>
                <td>#{s.tabNo}</td>
                <td>{s.drinks}</td>
                <td className="num">{formatCents(s.tabCents)}</td>
                <td className="num">
                  {s.tipPercent === null ? '—' : `${formatCents(s.tipCents)} (${s.tipPercent} %)`}
                </td>
                <td className="num">{formatCents(s.paidCents)}</td>
                <td>
                  <span className={`pill pill-${s.status}`}>{s.status}</span>
                </td>
                <td>{ago(Date.now() - s.lastActivity)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface Row {
  key: number;
  /** The name the row had when loaded (renames carry recommendations along); null for a new drink. */
  original: string | null;
  name: string;
  category: MenuCategory;
  price: string;
  aliases: string;
  rest: Omit<MenuFile['items'][number], 'name' | 'category' | 'priceCents' | 'aliases'> | null;
}

let nextKey = 1;
const toRows = (menu: MenuFile): Row[] =>
  menu.items.map(({ name, category, priceCents, aliases, ...rest }) => ({
    key: nextKey++,
    original: name,
    name,
    category,
    price: priceText(priceCents),
    aliases: aliases.join(', '),
    rest,
  }));

/** The rows as a menu file; recommendations follow renames and lose removed drinks. */
function toMenu(rows: readonly Row[], loaded: MenuFile): MenuFileInput | { error: string } {
  const items = [];
  for (const r of rows) {
    const cents = parsePrice(r.price);
    if (cents === null)
      return {
        error: `${r.name || 'A new drink'}: the price "${r.price}" is not an amount like 12.50`,
      };
    items.push({
      ...(r.rest ?? {}),
      name: r.name.trim(),
      category: r.category,
      priceCents: cents,
      aliases: r.aliases
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    });
  }
  const renamed = new Map(rows.filter((r) => r.original).map((r) => [r.original!, r.name.trim()]));
  const recommendations: Record<string, string[]> = {};
  for (const [pref, list] of Object.entries(loaded.recommendations ?? {})) {
    const kept = (list ?? []).flatMap((entry) => {
      const hit = recommendationItem(entry, loaded.items);
      const to = hit && renamed.get(hit.item.name);
      return to ? [hit.modifier ? `${to} ${hit.modifier}` : to] : [];
    });
    if (kept.length) recommendations[pref] = kept;
  }
  return {
    currency: loaded.currency,
    items,
    ...(Object.keys(recommendations).length ? { recommendations } : {}),
  };
}

function MenuEditor({ token, onSaved }: { token: string; onSaved: () => void }) {
  const [loaded, setLoaded] = useState<AdminMenu | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [issues, setIssues] = useState<readonly string[]>([]);
  const [notice, setNotice] = useState('');
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    const m = await getMenu(token);
    setLoaded(m);
    setRows(toRows(m.menu));
  }, [token]);
  useEffect(() => {
    load().catch((err: unknown) => setIssues([err instanceof Error ? err.message : String(err)]));
  }, [load]);

  const change = (key: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const save = async () => {
    if (!loaded) return;
    const menu = toMenu(rows, loaded.menu);
    if ('error' in menu) return setIssues([menu.error]);
    setSaving(true);
    try {
      const saved = await putMenu(token, menu, loaded.version);
      setLoaded(saved);
      setRows(toRows(saved.menu));
      setIssues([]);
      setNotice(
        `Saved — version ${saved.version}, in force for the next order${saved.persistence === 'redis' ? ' on every process' : ''}.`,
      );
      onSaved();
    } catch (err) {
      setNotice('');
      setIssues(
        err instanceof AdminApiError && err.issues.length
          ? err.issues
          : [err instanceof Error ? err.message : String(err)],
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="admin-panel" aria-label="Menu">
      <h2>
        Menu{' '}
        <small>
          {loaded ? `version ${loaded.version} · kept in ${loaded.persistence}` : 'loading…'}
        </small>
      </h2>
      <div className="menu-table-wrap">
        <table className="admin-table menu-table">
          <thead>
            <tr>
              <th>Drink</th>
              <th>Category</th>
              <th className="num">Price ($)</th>
              <th>Also called</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <td>
                  <input
                    aria-label="Name"
                    value={r.name}
                    onChange={(e) => change(r.key, { name: e.target.value })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`Category of ${r.name}`}
                    value={r.category}
                    onChange={(e) => change(r.key, { category: e.target.value as MenuCategory })}
                  >
                    {MENU_CATEGORIES.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="num">
                  <input
                    aria-label={`Price of ${r.name}`}
                    className="price"
                    inputMode="decimal"
                    value={r.price}
                    onChange={(e) => change(r.key, { price: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Aliases of ${r.name}`}
                    value={r.aliases}
                    onChange={(e) => change(r.key, { aliases: e.target.value })}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="quiet"
                    aria-label={`Remove ${r.name}`}
                    onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="admin-actions">
        <button
          type="button"
          className="quiet"
          onClick={() =>
            setRows((rs) => [
              ...rs,
              {
                key: nextKey++,
                original: null,
                name: '',
                category: 'cocktails',
                price: '',
                aliases: '',
                rest: null,
              },
            ])
          }
        >
          + Add drink
        </button>
        <button
          type="button"
          className="quiet"
          onClick={() => void load().then(() => (setIssues([]), setNotice('')))}
        >
          Discard changes
        </button>
        <button type="button" onClick={() => void save()} disabled={saving || !loaded}>
          Save menu
        </button>
      </div>
      {notice && (
        <p role="status" className="admin-notice">
          {notice}
        </p>
      )}
      {issues.length > 0 && (
        <ul role="alert" className="admin-error">
          {issues.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
