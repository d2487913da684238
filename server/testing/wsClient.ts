/** A websocket test client: sends protocol messages and awaits the server's answers by predicate. */
import { WebSocket } from 'ws';
import { parseServerMessage } from '../../shared/protocol.ts';
import type { ServerMessage } from '../../shared/protocol.ts';

export class TestClient {
  readonly messages: ServerMessage[] = [];
  private waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] =
    [];
  private cursor = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const parsed = parseServerMessage(data.toString());
      if (!parsed.ok) throw new Error(`server sent an invalid message: ${data.toString()}`);
      this.messages.push(parsed.message);
      this.waiters = this.waiters.filter((w) =>
        w.pred(parsed.message) ? (w.resolve(parsed.message), false) : true,
      );
    });
  }

  static async open(url: string): Promise<TestClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new TestClient(ws);
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  send(msg: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(msg));
  }

  /** The next message (after those already consumed) matching `pred`. */
  next<T extends ServerMessage['type']>(
    type: T,
    pred: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    type M = Extract<ServerMessage, { type: T }>;
    const match = (m: ServerMessage): m is M => m.type === type && pred(m as M);
    for (let i = this.cursor; i < this.messages.length; i++) {
      const m = this.messages[i]!;
      if (match(m)) {
        this.cursor = i + 1;
        return Promise.resolve(m);
      }
    }
    return new Promise<M>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `timed out waiting for ${type}; got ${JSON.stringify(this.messages.slice(this.cursor))}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        pred: match,
        resolve: (m) => {
          clearTimeout(timer);
          this.cursor = this.messages.length;
          resolve(m as M);
        },
      });
    });
  }

  async hello(extra: Record<string, unknown> = {}) {
    this.send({ type: 'hello', ...extra });
    return this.next('welcome');
  }

  /** A typed turn: resolves with Maya's reply and the latest state after it. */
  async say(text: string) {
    this.send({ type: 'user_text', text });
    const reply = await this.next('reply');
    const states = this.messages.filter(
      (m): m is Extract<ServerMessage, { type: 'state' }> => m.type === 'state',
    );
    return { reply, state: states.at(-1)?.state };
  }

  close(): Promise<void> {
    return new Promise((r) => {
      if (this.ws.readyState === WebSocket.CLOSED) return r();
      this.ws.once('close', () => r());
      this.ws.close();
    });
  }
}
