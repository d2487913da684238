/** The sandbox checkout's HTML: a small self-contained page (no script) with Pay and Decline buttons. */
import { formatCents } from '../../shared/money.ts';
import type { SandboxCheckout } from './sandbox.ts';
import { lineLabel } from './types.ts';

const STYLE = `body{font-family:system-ui,sans-serif;background:#14101a;color:#f6efe6;margin:0;display:flex;justify-content:center}
main{max-width:28rem;width:100%;padding:1.5rem}h1{font-size:1.3rem}table{width:100%;border-collapse:collapse}
td{padding:.35rem 0;border-bottom:1px solid #333}td.amount{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:700;border-bottom:0}form{flex:1;display:flex}.actions{display:flex;gap:.8rem;margin-top:1.2rem}
button{flex:1;padding:.8rem;font-size:1.05rem;border-radius:10px;border:0;cursor:pointer}
.pay{background:#e8a33d;color:#1b1208;font-weight:700}.decline{background:#333;color:#f6efe6}.note{color:#b7a99a;font-size:.85rem}`;

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function checkoutPage(c: Readonly<SandboxCheckout>): string {
  const rows = c.lines
    .map(
      (l) =>
        `<tr><td>${l.quantity} × ${escapeHtml(lineLabel(l))}</td><td class="amount">${formatCents(l.lineCents)}</td></tr>`,
    )
    .join('');
  const tip =
    c.tipCents > 0 ? `<tr><td>Tip</td><td class="amount">${formatCents(c.tipCents)}</td></tr>` : '';
  const id = encodeURIComponent(c.checkoutId);
  const actions =
    c.status === 'open'
      ? `<div class="actions"><form method="post" action="/pay/${id}/pay"><button class="pay" type="submit">Pay ${formatCents(c.totalCents)}</button></form>
<form method="post" action="/pay/${id}/decline"><button class="decline" type="submit">Decline</button></form></div>`
      : `<p data-testid="checkout-status">This checkout is ${c.status}.</p>`;
  return page(
    'Pay your tab — Maya',
    `<h1>Your tab at Maya's bar</h1><table>${rows}${tip}<tr class="total"><td>Total</td><td class="amount" data-testid="checkout-total">${formatCents(c.totalCents)}</td></tr></table>
${actions}<p class="note">Sandbox checkout: no real money moves.</p>`,
  );
}

export function resultPage(title: string, message: string): string {
  return page(
    title,
    `<h1 data-testid="result">${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`,
  );
}

export function paidPage(): string {
  return resultPage('Paid — thank you!', 'Your payment went through. You can go back to Maya now.');
}
