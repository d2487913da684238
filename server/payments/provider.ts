/** Picks the payment provider from configuration: Stripe when a secret key is set, else the sandbox. */
import type { Config } from '../config.ts';
import { SandboxPaymentProvider } from './sandbox.ts';
import { StripePaymentProvider } from './stripe.ts';
import type { PaymentProvider } from './types.ts';
import type { PaymentTiming } from './service.ts';

export function createPaymentProvider(config: Config, publicUrl: () => string): PaymentProvider {
  if (!config.STRIPE_SECRET_KEY) return new SandboxPaymentProvider(publicUrl);
  return new StripePaymentProvider({
    secretKey: config.STRIPE_SECRET_KEY,
    ...(config.STRIPE_WEBHOOK_SECRET && { webhookSecret: config.STRIPE_WEBHOOK_SECRET }),
    ...(config.STRIPE_API_URL && { apiUrl: config.STRIPE_API_URL }),
    publicUrl,
  });
}

export function paymentTiming(config: Config): PaymentTiming {
  return {
    pollIntervalMs: config.MAYA_PAYMENT_POLL_INTERVAL_MS,
    deadlineMs: config.MAYA_PAYMENT_DEADLINE_SECONDS * 1000,
    reconcileIntervalMs: config.MAYA_PAYMENT_RECONCILE_INTERVAL_MS,
  };
}
