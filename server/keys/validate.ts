/**
 * Checking a guest's own key once, with the cheapest authenticated call each provider has
 * (research/sdks.md 1.6 and 2.7): Gemini `models.get` (free, also proves the model exists), Cartesia
 * `GET /voices/:id`. A refusal is sorted into invalid / quota / network / other, each with a
 * message a guest can act on. The key never appears in a message or a log.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import type { KeyProblem } from '../../shared/protocol.ts';
import {
  CartesiaApiError,
  CartesiaConnectionError,
  createCartesiaClient,
} from '../speech/cartesia/client.ts';
import type { CartesiaConnection } from '../speech/cartesia/client.ts';

export const KEY_CHECK_TIMEOUT_MS = 8_000;

export type KeyCheck = { ok: true } | { ok: false; problem: KeyProblem; message: string };

const MESSAGES: Record<KeyProblem, (provider: string) => string> = {
  invalid: (p) => `${p} did not accept that key. Check that it was copied in full.`,
  quota: (p) =>
    `That ${p} key is out of quota or rate-limited right now. Try again later or use another key.`,
  network: (p) => `Could not reach ${p} to check the key. Check the connection and try again.`,
  other: (p) => `${p} could not check the key just now.`,
};

function refuse(provider: string, problem: KeyProblem, detail?: string): KeyCheck {
  return {
    ok: false,
    problem,
    message: detail ? `${MESSAGES[problem](provider)} (${detail})` : MESSAGES[problem](provider),
  };
}

/** Sort an HTTP status (and Google's error reason) into a key problem. */
export function problemForStatus(status: number, reason?: string): KeyProblem {
  if (status === 401 || status === 403 || reason === 'API_KEY_INVALID') return 'invalid';
  if (status === 429 || status === 402) return 'quota';
  return 'other';
}

export interface GeminiKeyCheckOptions {
  model: string;
  baseUrl?: string | undefined;
  timeoutMs?: number;
}

export async function validateGeminiKey(
  apiKey: string,
  opts: GeminiKeyCheckOptions,
): Promise<KeyCheck> {
  const ai = new GoogleGenAI({
    apiKey,
    httpOptions: {
      timeout: opts.timeoutMs ?? KEY_CHECK_TIMEOUT_MS,
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
    },
  });
  try {
    await ai.models.get({ model: opts.model });
    return { ok: true };
  } catch (e) {
    if (e instanceof ApiError) {
      const reason = googleReason(e.message);
      if (e.status === 404)
        return refuse('Gemini', 'other', `the model ${opts.model} is not available to this key`);
      const problem = problemForStatus(e.status, reason);
      return refuse('Gemini', problem, problem === 'other' ? `HTTP ${e.status}` : undefined);
    }
    return refuse('Gemini', 'network');
  }
}

function googleReason(message: string): string | undefined {
  try {
    const body = JSON.parse(message) as { error?: { details?: { reason?: string }[] } };
    return body.error?.details?.find((d) => d.reason)?.reason;
  } catch {
    return undefined;
  }
}

export interface CartesiaKeyCheckOptions extends Omit<CartesiaConnection, 'apiKey'> {
  voiceId: string;
}

export async function validateCartesiaKey(
  apiKey: string,
  opts: CartesiaKeyCheckOptions,
): Promise<KeyCheck> {
  const client = createCartesiaClient({ apiKey, baseUrl: opts.baseUrl, ca: opts.ca });
  try {
    await client.voices.get(opts.voiceId);
    return { ok: true };
  } catch (e) {
    if (e instanceof CartesiaConnectionError) return refuse('Cartesia', 'network');
    if (e instanceof CartesiaApiError && typeof e.status === 'number') {
      const problem = problemForStatus(e.status);
      return refuse('Cartesia', problem, problem === 'other' ? `HTTP ${e.status}` : undefined);
    }
    return refuse('Cartesia', 'other');
  }
}
