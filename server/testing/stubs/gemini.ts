/**
 * A local stand-in for the Gemini REST API (generativelanguage.googleapis.com) on 127.0.0.1, speaking
 * the wire format the real `@google/genai` SDK uses (see /work/shared/research/sdks.md 1.3–1.5):
 * `x-goog-api-key` auth, `GET /v1*\/models[/m]`, `POST …:generateContent` and
 * `…:streamGenerateContent?alt=sse` with `data: <GenerateContentResponse>` frames. Replies are
 * scripted per test; a script step can also die mid-stream or answer with an HTTP error.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubPart {
  text?: string;
  functionCall?: { id?: string; name: string; args: Record<string, unknown> };
  thoughtSignature?: string;
}

/** What the stub received for one generate call. */
export interface GeminiStubRequest {
  model: string;
  stream: boolean;
  apiKey: string | undefined;
  body: {
    contents: { role: string; parts: Record<string, unknown>[] }[];
    systemInstruction?: { parts: { text: string }[] };
    tools?: { functionDeclarations: { name: string; parametersJsonSchema?: unknown }[] }[];
  };
}

export type StubStep =
  /** Stream these chunks (each a list of model parts), then end. */
  | { chunks: StubPart[][]; delayMs?: number }
  /** Stream `chunks`, then destroy the connection without ending the stream. */
  | { chunks: StubPart[][]; dieAfter: true; delayMs?: number }
  | { httpStatus: number; status: string; message: string; reason?: string };

export interface GeminiStub {
  baseUrl: string;
  requests: GeminiStubRequest[];
  /** Steps answered in order, one per generate call; when empty, the fallback replies "Cheers!". */
  script(...steps: StubStep[]): void;
  setValidKeys(keys: string[]): void;
  /** Answer every request with this HTTP error (e.g. 429 quota) until cleared. */
  failAll(step: Extract<StubStep, { httpStatus: number }> | null): void;
  close(): Promise<void>;
}

export const STUB_MODELS = ['gemini-flash-latest', 'gemini-2.5-flash'];

function errorBody(httpStatus: number, status: string, message: string, reason?: string) {
  const details = reason
    ? [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com' }]
    : [];
  return JSON.stringify({ error: { code: httpStatus, message, status, details } });
}

function sendError(
  res: ServerResponse,
  s: { httpStatus: number; status: string; message: string; reason?: string },
) {
  res
    .writeHead(s.httpStatus, { 'content-type': 'application/json' })
    .end(errorBody(s.httpStatus, s.status, s.message, s.reason));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

const chunkJson = (parts: StubPart[], last: boolean) =>
  JSON.stringify({
    candidates: [
      { content: { role: 'model', parts }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 },
    ],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
    modelVersion: 'stub',
  });

export async function startGeminiStub(opts: { validKeys?: string[] } = {}): Promise<GeminiStub> {
  let validKeys = new Set(opts.validKeys ?? ['good-gemini-key']);
  let steps: StubStep[] = [];
  let failing: Extract<StubStep, { httpStatus: number }> | null = null;
  const requests: GeminiStubRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://stub');
    const key = req.headers['x-goog-api-key'];
    const apiKey = typeof key === 'string' ? key : undefined;
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (failing) return sendError(res, failing);
    if (!apiKey || !validKeys.has(apiKey)) {
      return sendError(res, {
        httpStatus: 400,
        status: 'INVALID_ARGUMENT',
        message: 'API key not valid. Please pass a valid API key.',
        reason: 'API_KEY_INVALID',
      });
    }
    const m =
      /^\/v1[a-z0-9]*\/models(?:\/([^/:]+))?(?::(generateContent|streamGenerateContent))?$/.exec(
        url.pathname,
      );
    if (!m)
      return sendError(res, {
        httpStatus: 404,
        status: 'NOT_FOUND',
        message: `no route ${url.pathname}`,
      });
    const [, model, task] = m;
    if (req.method === 'GET' && !model) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ models: STUB_MODELS.map((n) => ({ name: `models/${n}` })) }));
      return;
    }
    if (req.method === 'GET' && model && !task) {
      if (!STUB_MODELS.includes(model))
        return sendError(res, {
          httpStatus: 404,
          status: 'NOT_FOUND',
          message: `models/${model} is not found`,
        });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ name: `models/${model}` }));
      return;
    }
    if (req.method !== 'POST' || !model || !task)
      return sendError(res, { httpStatus: 404, status: 'NOT_FOUND', message: 'unsupported' });

    const stream = task === 'streamGenerateContent';
    requests.push({ model, stream, apiKey, body: JSON.parse(body) as GeminiStubRequest['body'] });
    const step: StubStep = steps.shift() ?? { chunks: [[{ text: 'Cheers!' }]] };
    if ('httpStatus' in step) return sendError(res, step);

    if (!stream) {
      const parts = step.chunks.flat();
      res.writeHead(200, { 'content-type': 'application/json' }).end(chunkJson(parts, true));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let i = 0; i < step.chunks.length; i++) {
      if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
      res.write(
        `data: ${chunkJson(step.chunks[i]!, i === step.chunks.length - 1 && !('dieAfter' in step))}\r\n\r\n`,
      );
    }
    if ('dieAfter' in step) {
      await new Promise((r) => setTimeout(r, 10));
      res.socket?.destroy();
      return;
    }
    res.end();
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    script: (...s) => {
      steps = s;
    },
    setValidKeys: (keys) => {
      validKeys = new Set(keys);
    },
    failAll: (s) => {
      failing = s;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
