import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startApp } from '../app.ts';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TestClient } from '../testing/wsClient.ts';
import { createLogger, scrubCardNumbers } from './log.ts';

let app: App;
beforeAll(async () => {
  app = await startApp(loadConfig({ PORT: '0' }), {
    log: pino({ level: 'silent' }),
    serveClient: false,
  });
});
afterAll(() => app.close());

describe('/metrics', () => {
  it('counts messages, errors by code and observes turn stages', async () => {
    const c = await TestClient.open(`${app.url.replace('http', 'ws')}/ws`);
    await c.hello();
    await c.say('a mojito');
    c.sendRaw('{oops');
    await c.next('error');
    const body = await (await fetch(`${app.url}/metrics`)).text();
    expect(body).toMatch(/maya_ws_messages_total\{direction="in",type="user_text"\} 1/);
    expect(body).toMatch(/maya_errors_total\{code="BAD_JSON"\} 1/);
    expect(body).toMatch(/maya_turn_stage_seconds_count\{stage="turn"\} 1/);
    expect(body).toMatch(/maya_turn_stage_seconds_count\{stage="brain"\} 1/);
    expect(body).toMatch(
      /maya_store_operation_seconds_count\{op="compareAndSet",store="memory"\} [1-9]/,
    );
    expect(body).toMatch(/maya_connected_sessions 1/);
    expect(body).toMatch(/maya_process_resident_memory_bytes/);
    await c.close();
  });
});

describe('logs', () => {
  function capture() {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    return { log: createLogger('info', sink), lines };
  }

  it('never writes keys, resume tokens or card-like numbers', () => {
    const { log, lines } = capture();
    log.info(
      {
        apiKey: 'AIzaSECRET123',
        session: { resumeToken: 'tok-SECRET' },
        text: 'my card is 4242 4242 4242 4242',
      },
      'guest said 4000-0566-5566-5556 ok',
    );
    const out = lines.join('');
    expect(out).not.toContain('SECRET');
    expect(out).not.toContain('4242 4242');
    expect(out).not.toContain('4000-0566');
    expect(out).toContain('[redacted]');
    expect(out).toContain('[card redacted]');
  });

  it('leaves ordinary numbers alone', () => {
    expect(scrubCardNumbers('two margaritas for $22.00, order 12345')).toBe(
      'two margaritas for $22.00, order 12345',
    );
  });
});
