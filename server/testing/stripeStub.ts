/**
 * A local stub of the Stripe REST API for tests (stripe-mock cannot be installed here): the Checkout
 * Session routes Maya uses, spoken the way the real API speaks them — form-encoded bodies with
 * bracket keys, Bearer auth, Idempotency-Key honoured (same key + same body → the same session,
 * different body → idempotency_error), Stripe's error bodies. Test-only routes flip a session to
 * paid or expired, and webhooks are signed exactly as Stripe signs them (HMAC-SHA256 of "t.body").
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  expires_at: number;
  created: number;
  success_url: string | null;
  cancel_url: string | null;
  url: string | null;
  livemode: false;
  line_items: { name: string; quantity: number; unit_amount: number }[];
}

type Form = { [key: string]: string | Form | Form[] | string[] };

/** Decode `a[b][0][c]=v&...` (what stripe-node sends) into nested objects and arrays. */
export function decodeForm(body: string): Form {
  const root: Form = {};
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const [rawKey, rawValue = ''] = pair.split('=');
    const key = decodeURIComponent(rawKey!.replace(/\+/g, ' '));
    const value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    const path = key.split(/[[\]]+/).filter((p) => p !== '');
    let node: Record<string, unknown> = root;
    path.forEach((seg, i) => {
      if (i === path.length - 1) {
        node[seg] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[i + 1]!);
      node[seg] ??= nextIsIndex ? [] : {};
      node = node[seg] as Record<string, unknown>;
    });
  }
  return root;
}

/** A Stripe-Signature header value for `payload`, as Stripe computes it. */
export function signStripePayload(
  payload: string,
  secret: string,
  timestampSeconds: number,
): string {
  const v1 = createHmac('sha256', secret)
    .update(`${timestampSeconds}.${payload}`, 'utf8')
    .digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

export interface StripeStubOptions {
  apiKey: string;
  webhookSecret?: string;
  now?: () => number;
}

export class StripeStub {
  readonly sessions = new Map<string, StubSession>();
  /** Every API request seen: method, path, idempotency key. */
  readonly requests: { method: string; path: string; idempotencyKey: string | undefined }[] = [];
  private readonly idempotent = new Map<
    string,
    { body: string; status: number; response: string }
  >();
  private server: Server | null = null;
  url = '';
  private readonly now: () => number;
  /** Make the next N API requests fail with a 500 (to test provider outages). */
  failNext = 0;

  constructor(private readonly options: StripeStubOptions) {
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) =>
        send(res, 500, { error: { type: 'api_error', message: String(e) } }),
      );
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Test control: the guest paid on Stripe's page. */
  markPaid(id: string): StubSession {
    const s = this.mustGet(id);
    if (s.status !== 'open') throw new Error(`session ${id} is ${s.status}`);
    s.status = 'complete';
    s.payment_status = 'paid';
    return s;
  }

  /** Test control: the session ran out of time. */
  markExpired(id: string): StubSession {
    const s = this.mustGet(id);
    if (s.status !== 'open') throw new Error(`session ${id} is ${s.status}`);
    s.status = 'expired';
    return s;
  }

  /** A webhook event body and its Stripe-Signature header (timestamp defaults to now). */
  signedEvent(
    type: string,
    session: StubSession,
    opts: { secret?: string; timestampSeconds?: number } = {},
  ): { body: string; signature: string } {
    const event = {
      id: `evt_${randomBytes(12).toString('hex')}`,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: Math.floor(this.now() / 1000),
      type,
      data: { object: publicSession(session) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    };
    const body = JSON.stringify(event);
    const secret = opts.secret ?? this.options.webhookSecret;
    if (!secret) throw new Error('no webhook secret');
    return {
      body,
      signature: signStripePayload(
        body,
        secret,
        opts.timestampSeconds ?? Math.floor(this.now() / 1000),
      ),
    };
  }

  /** POST a signed event to a webhook endpoint, like Stripe's delivery does. */
  async deliver(endpoint: string, evt: { body: string; signature: string }): Promise<Response> {
    return fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': evt.signature },
      body: evt.body,
    });
  }

  private mustGet(id: string): StubSession {
    const s = this.sessions.get(id);
    if (!s) throw new Error(`no session ${id}`);
    return s;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';

    // Test-only routes (no auth): flip a session's outcome.
    const control = path.match(/^\/__stub\/checkout\/sessions\/([^/]+)\/(pay|expire)$/);
    if (control && method === 'POST') {
      const s = this.sessions.get(control[1]!);
      if (!s) return send(res, 404, { error: 'no such session' });
      if (s.status !== 'open') return send(res, 409, { error: `session is ${s.status}` });
      return send(
        res,
        200,
        publicSession(control[2] === 'pay' ? this.markPaid(s.id) : this.markExpired(s.id)),
      );
    }

    const idempotencyKey = headerOf(req, 'idempotency-key');
    this.requests.push({ method, path, idempotencyKey });
    if (headerOf(req, 'authorization') !== `Bearer ${this.options.apiKey}`) {
      return send(res, 401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' },
      });
    }
    if (this.failNext > 0) {
      this.failNext--;
      return send(res, 500, { error: { type: 'api_error', message: 'Stub outage.' } });
    }
    if (method === 'POST' && idempotencyKey) {
      const seen = this.idempotent.get(idempotencyKey);
      if (seen) {
        if (seen.body !== body) {
          return send(res, 400, {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          });
        }
        res
          .writeHead(seen.status, {
            'content-type': 'application/json',
            'idempotent-replayed': 'true',
          })
          .end(seen.response);
        return;
      }
    }
    const { status, payload } = this.route(method, path, body);
    const response = JSON.stringify(payload);
    if (method === 'POST' && idempotencyKey && status < 500)
      this.idempotent.set(idempotencyKey, { body, status, response });
    res
      .writeHead(status, {
        'content-type': 'application/json',
        'request-id': `req_${randomBytes(6).toString('hex')}`,
      })
      .end(response);
  }

  private route(method: string, path: string, body: string): { status: number; payload: unknown } {
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.create(decodeForm(body));
    const m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/);
    if (m) {
      const s = this.sessions.get(m[1]!);
      if (!s) return invalid(404, `No such checkout.session: '${m[1]}'`, 'id', 'resource_missing');
      if (method === 'GET' && !m[2]) return { status: 200, payload: publicSession(s) };
      if (method === 'POST' && m[2]) {
        if (s.status !== 'open')
          return invalid(
            400,
            `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.status}".`,
          );
        s.status = 'expired';
        return { status: 200, payload: publicSession(s) };
      }
    }
    return invalid(404, `Unrecognized request URL (${method}: ${path}).`);
  }

  private create(form: Form): { status: number; payload: unknown } {
    if (form.mode !== 'payment') return invalid(400, 'Missing required param: mode.', 'mode');
    const items = form.line_items;
    if (!Array.isArray(items) || items.length === 0)
      return invalid(400, 'Missing required param: line_items.', 'line_items');
    const lineItems: StubSession['line_items'] = [];
    let currency = '';
    for (const [i, raw] of (items as Form[]).entries()) {
      const pd = raw.price_data as Form | undefined;
      const quantity = Number(raw.quantity);
      const unit = Number(pd?.unit_amount);
      const name = (pd?.product_data as Form | undefined)?.name;
      if (!pd || typeof name !== 'string' || !name)
        return invalid(
          400,
          'Missing required param: product_data.name.',
          `line_items[${i}][price_data][product_data][name]`,
        );
      if (!Number.isInteger(unit) || unit < 0)
        return invalid(
          400,
          'Invalid integer: unit_amount.',
          `line_items[${i}][price_data][unit_amount]`,
        );
      if (!Number.isInteger(quantity) || quantity < 1)
        return invalid(400, 'Invalid integer: quantity.', `line_items[${i}][quantity]`);
      if (typeof pd.currency !== 'string' || (currency && pd.currency !== currency))
        return invalid(
          400,
          'All line items must share one currency.',
          `line_items[${i}][price_data][currency]`,
        );
      currency = pd.currency;
      lineItems.push({ name, quantity, unit_amount: unit });
    }
    const nowSeconds = Math.floor(this.now() / 1000);
    const expiresAt =
      form.expires_at === undefined ? nowSeconds + 24 * 3600 : Number(form.expires_at);
    if (
      !Number.isInteger(expiresAt) ||
      expiresAt < nowSeconds + 30 * 60 ||
      expiresAt > nowSeconds + 24 * 3600
    ) {
      return invalid(
        400,
        'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
        'expires_at',
      );
    }
    const id = `cs_test_${randomBytes(18).toString('base64url')}`;
    const session: StubSession = {
      id,
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: lineItems.reduce((sum, l) => sum + l.unit_amount * l.quantity, 0),
      currency,
      client_reference_id:
        typeof form.client_reference_id === 'string' ? form.client_reference_id : null,
      metadata: (form.metadata as Record<string, string> | undefined) ?? {},
      expires_at: expiresAt,
      created: nowSeconds,
      success_url: typeof form.success_url === 'string' ? form.success_url : null,
      cancel_url: typeof form.cancel_url === 'string' ? form.cancel_url : null,
      url: `https://checkout.stripe.test/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
      livemode: false,
      line_items: lineItems,
    };
    this.sessions.set(id, session);
    return { status: 200, payload: publicSession(session) };
  }
}

/** The session as the API returns it (line items are only listed by their own endpoint). */
function publicSession(s: StubSession): Omit<StubSession, 'line_items'> {
  const { line_items: _omit, ...rest } = s;
  return { ...rest, url: s.status === 'open' ? s.url : null };
}

function invalid(
  status: number,
  message: string,
  param?: string,
  code?: string,
): { status: number; payload: unknown } {
  return {
    status,
    payload: {
      error: {
        type: 'invalid_request_error',
        message,
        ...(param && { param }),
        ...(code && { code }),
      },
    },
  };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
