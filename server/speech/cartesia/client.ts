/**
 * Loading `@cartesia/cartesia-js` on Node 20 ESM. The SDK's ESM build finds the `ws` peer with a
 * bare `require` that is undefined in ESM, so its websockets fail on Node 20 (no global WebSocket);
 * the CJS build, loaded through createRequire, uses `ws` with header auth (research/sdks.md 2.5).
 * `ca` trusts an extra certificate authority for REST and websockets alike (a TLS stub in tests,
 * or a corporate TLS proxy), without needing NODE_EXTRA_CA_CERTS before the process starts.
 */
import { createRequire } from 'node:module';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

type CartesiaModule = typeof import('@cartesia/cartesia-js');
type TtsModule = typeof import('@cartesia/cartesia-js/resources/tts/index');
type ManualSttModule = typeof import('@cartesia/cartesia-js/resources/stt/manual-finalize/ws');

const require = createRequire(import.meta.url);
const sdk = require('@cartesia/cartesia-js') as CartesiaModule;
export const CartesiaClient = sdk.Cartesia;
export type CartesiaClient = InstanceType<typeof sdk.Cartesia>;
export const CartesiaApiError = sdk.APIError;
export const CartesiaConnectionError = sdk.APIConnectionError;
export const { TTSWS } = require('@cartesia/cartesia-js/resources/tts/index') as TtsModule;
export type TTSWS = InstanceType<TtsModule['TTSWS']>;
export const { ManualFinalizeWS } =
  require('@cartesia/cartesia-js/resources/stt/manual-finalize/ws') as ManualSttModule;
export type ManualFinalizeWS = InstanceType<ManualSttModule['ManualFinalizeWS']>;

export const CARTESIA_DEFAULT_BASE_URL = 'https://api.cartesia.ai';
export const CARTESIA_REQUEST_TIMEOUT_MS = 10_000;

export interface CartesiaConnection {
  apiKey: string;
  baseUrl?: string | undefined;
  /** PEM of an extra CA to trust (tests' self-signed stub). */
  ca?: string | undefined;
}

export function createCartesiaClient(c: CartesiaConnection): CartesiaClient {
  return new CartesiaClient({
    apiKey: c.apiKey,
    baseURL: c.baseUrl ?? CARTESIA_DEFAULT_BASE_URL,
    maxRetries: 0,
    timeout: CARTESIA_REQUEST_TIMEOUT_MS,
    ...(c.ca ? { fetch: fetchTrusting(c.ca) } : {}),
  });
}

/** Options for the SDK's `ws` sockets. */
export function wsOptions(c: CartesiaConnection): { ca?: string } {
  return c.ca ? { ca: c.ca } : {};
}

/** A minimal fetch over node:https that trusts `ca` (Node's global fetch takes no CA option). */
export function fetchTrusting(ca: string): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(
        typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      );
      const headers = new Headers(init?.headers);
      const req = httpsRequest(
        url,
        {
          method: init?.method ?? 'GET',
          headers: Object.fromEntries(headers),
          ca,
          signal: init?.signal ?? undefined,
        },
        (res) => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
          const status = res.statusCode ?? 500;
          const body =
            status === 204 || status === 304
              ? null
              : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          resolve(
            new Response(body, { status, statusText: res.statusMessage ?? '', headers: out }),
          );
        },
      );
      req.on('error', reject);
      const body = init?.body;
      if (typeof body === 'string' || body instanceof Uint8Array) req.end(body);
      else if (body == null) req.end();
      else reject(new Error('fetchTrusting: unsupported body type'));
    });
}
