/**
 * HTTP routes beside the page and the websocket: the Stripe webhook (raw body, signature checked) and
 * the sandbox checkout page with its Pay / Decline actions. `handle` returns false for other paths.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { PaymentService } from '../payments/service.ts';
import type { StateManager } from '../state/manager.ts';
import { SandboxPaymentProvider } from '../payments/sandbox.ts';
import { StripePaymentProvider, WebhookSignatureError } from '../payments/stripe.ts';
import { checkoutPage, paidPage, resultPage } from '../payments/sandboxPage.ts';

/** Stripe's events are a few KB; anything far larger is not from Stripe. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export interface RouteDeps {
  payments: PaymentService;
  manager: StateManager;
  log: Logger;
}

export function createRoutes({ payments, manager, log }: RouteDeps) {
  const provider = payments.provider;

  async function webhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(provider instanceof StripePaymentProvider) || !provider.webhooksEnabled) {
      return json(res, 404, {
        error: 'webhooks_disabled',
        message: 'Stripe webhooks are not configured on this server.',
      });
    }
    const body = await readBody(req, MAX_WEBHOOK_BODY_BYTES);
    if (body === null)
      return json(res, 413, {
        error: 'too_large',
        message: `Webhook bodies are limited to ${MAX_WEBHOOK_BODY_BYTES} bytes.`,
      });
    let event;
    try {
      event = provider.parseWebhook(body, header(req, 'stripe-signature'));
    } catch (e) {
      if (!(e instanceof WebhookSignatureError)) throw e;
      log.warn({ reason: e.message }, 'webhook refused');
      return json(res, 400, { error: 'bad_signature', message: e.message });
    }
    if (!event) return json(res, 200, { received: true, ignored: 'event type not used' });
    try {
      const outcome = await payments.settle(event, 'webhook');
      // Authentic but about a checkout we do not know: acknowledged so Stripe stops retrying.
      return json(
        res,
        200,
        outcome === 'ignored'
          ? { received: true, ignored: 'unknown or stale checkout' }
          : { received: true, outcome },
      );
    } catch (e) {
      // The store could not record it: 500 makes Stripe deliver again (the reconciler also retries).
      log.error({ err: e, checkoutId: event.checkoutId }, 'webhook could not be applied');
      return json(res, 500, {
        error: 'not_recorded',
        message: 'Could not record the payment yet; it will be retried.',
      });
    }
  }

  async function sandbox(
    req: IncomingMessage,
    res: ServerResponse,
    checkoutId: string,
    action: string | undefined,
  ): Promise<void> {
    if (!(provider instanceof SandboxPaymentProvider))
      return html(res, 404, resultPage('Not here', 'This server takes payments through Stripe.'));
    const checkout = provider.get(checkoutId);
    if (!checkout)
      return html(
        res,
        404,
        resultPage(
          'Unknown checkout',
          'There is no checkout with that id. Ask Maya for a new payment link.',
        ),
      );
    if (action === undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return html(res, 405, resultPage('Not allowed', 'Use the buttons on the checkout page.'));
      return html(res, 200, checkoutPage(checkout));
    }
    if (req.method !== 'POST' || (action !== 'pay' && action !== 'decline'))
      return html(res, 405, resultPage('Not allowed', 'Use the buttons on the checkout page.'));
    await readBody(req, 4096); // the form's (empty) body
    const { changed, status } = provider.decide(checkoutId, action === 'pay' ? 'paid' : 'declined');
    if (!changed) {
      const why =
        status === 'paid'
          ? 'This checkout is already paid.'
          : status === 'declined'
            ? 'This checkout was declined.'
            : 'This checkout has expired or was cancelled.';
      return html(
        res,
        status === 'expired' ? 410 : 409,
        resultPage('Nothing changed', `${why} Ask Maya if you need a new link.`),
      );
    }
    let recorded = true;
    await payments
      .settle({ checkoutId, sessionId: checkout.sessionId, status }, 'sandbox page')
      .catch(() => (recorded = false));
    if (status === 'paid')
      return html(
        res,
        200,
        resultPage(
          'Paid — thank you!',
          recorded ? 'You can go back to Maya now.' : 'Maya will update your tab in a moment.',
        ),
      );
    return html(
      res,
      200,
      resultPage('Payment declined', 'Nothing was charged. You can go back to Maya and try again.'),
    );
  }

  /** The short tab link under the QR code: redirect to the tab's open checkout, wherever it lives. */
  async function tabLink(res: ServerResponse, sessionId: string): Promise<void> {
    const state = await manager.store.get(sessionId).catch(() => null);
    const ref = state?.payment.status === 'processing' ? state.payment.providerRef : null;
    if (!ref)
      return html(
        res,
        404,
        resultPage(
          'Nothing to pay',
          'This tab has no payment open. Ask Maya when you are ready to pay.',
        ),
      );
    res.writeHead(302, { location: ref.url, 'cache-control': 'no-store' }).end();
  }

  /** Handle a payment route; false when the path is not one of ours. */
  function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '/').split('?')[0]!;
    let work: Promise<void> | null = null;
    if (path === '/webhooks/stripe') {
      work =
        req.method === 'POST'
          ? webhook(req, res)
          : Promise.resolve(json(res, 405, { error: 'method_not_allowed', message: 'POST only.' }));
    } else if (path === '/paid' && (req.method === 'GET' || req.method === 'HEAD')) {
      work = Promise.resolve(html(res, 200, paidPage()));
    } else if (
      /^\/t\/[A-Za-z0-9_-]{8,64}$/.test(path) &&
      (req.method === 'GET' || req.method === 'HEAD')
    ) {
      work = tabLink(res, path.slice(3));
    } else {
      const m = path.match(/^\/pay\/([A-Za-z0-9_-]{1,128})(?:\/(pay|decline|[a-z]+))?$/);
      if (m) work = sandbox(req, res, m[1]!, m[2]);
    }
    if (!work) return false;
    work.catch((err: unknown) => {
      log.error({ err, path }, 'payment route failed');
      if (!res.headersSent) json(res, 500, { error: 'internal', message: 'Something went wrong.' });
    });
    return true;
  }

  return { handle };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The raw request body (webhook signatures are over the exact bytes), or null past `limit`. */
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
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function html(res: ServerResponse, status: number, body: string): void {
  res
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    .end(body);
}
