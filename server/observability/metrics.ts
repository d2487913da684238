/**
 * Prometheus metrics (`/metrics`). One registry per app instance so tests and several apps in one
 * process never share counters. Stages are observed from outside the code path they measure.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Latency stages of a turn: the whole turn and the brain (typed or spoken), and for voice the
 * end of speech → final transcript and final transcript → first reply audio (speechStages.ts).
 */
export const TURN_STAGES = ['turn', 'brain', 'stt_final', 'tts_first_audio'] as const;
export type TurnStage = (typeof TURN_STAGES)[number];

const latencyBucketsSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The speech pool's figures exported as gauges (see server/speech/embedded/pool.ts). */
export interface SpeechPoolGauges {
  workers: number;
  maxWorkers: number;
  liveWorkers: number;
  streams: number;
  busyStreams: number;
}

export class Metrics {
  readonly registry = new Registry();
  readonly stageSeconds = new Histogram({
    name: 'maya_turn_stage_seconds',
    help: 'Latency of each stage of a guest turn',
    labelNames: ['stage'] as const,
    buckets: latencyBucketsSeconds,
    registers: [this.registry],
  });
  readonly storeOpSeconds = new Histogram({
    name: 'maya_store_operation_seconds',
    help: 'Latency of session store operations',
    labelNames: ['op', 'store'] as const,
    buckets: latencyBucketsSeconds,
    registers: [this.registry],
  });
  readonly wsMessages = new Counter({
    name: 'maya_ws_messages_total',
    help: 'Websocket messages by direction and type',
    labelNames: ['direction', 'type'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'maya_errors_total',
    help: 'Errors answered to clients, by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly connectedSessions = new Gauge({
    name: 'maya_connected_sessions',
    help: 'Sessions with at least one open websocket on this process',
    registers: [this.registry],
  });
  readonly openSockets = new Gauge({
    name: 'maya_open_websockets',
    help: 'Open websocket connections on this process',
    registers: [this.registry],
  });

  readonly speechFallbacks = new Counter({
    name: 'maya_speech_fallbacks_total',
    help: 'Sessions whose cloud voice (tts) or recogniser (stt) failed and fell back to the embedded engine',
    labelNames: ['what'] as const,
    registers: [this.registry],
  });

  readonly speechEngineFailures = new Counter({
    name: 'maya_speech_engine_failures_total',
    help: 'Embedded speech engine failures (a worker crashed, its engine threw, or it could not start); each worker is replaced',
    labelNames: ['engine', 'kind'] as const,
    registers: [this.registry],
  });

  /** What the speech worker pool reports at scrape time (set by the composition root). */
  speechPoolStats: (() => SpeechPoolGauges) | null = null;
  readonly speechWorkers = this.speechGauge(
    'maya_speech_workers',
    'Speech worker threads started (they start as guests need them)',
    (s) => s.workers,
  );
  readonly speechMaxWorkers = this.speechGauge(
    'maya_speech_max_workers',
    'Speech worker threads at most (MAYA_SPEECH_WORKERS)',
    (s) => s.maxWorkers,
  );
  readonly speechLiveWorkers = this.speechGauge(
    'maya_speech_live_workers',
    'Speech worker threads ready to recognise',
    (s) => s.liveWorkers,
  );
  readonly speechStreams = this.speechGauge(
    'maya_speech_streams',
    'Open embedded recogniser streams',
    (s) => s.streams,
  );
  readonly speechBusyStreams = this.speechGauge(
    'maya_speech_busy_streams',
    'Embedded recogniser streams in the middle of an utterance',
    (s) => s.busyStreams,
  );

  constructor({ defaultMetrics = true }: { defaultMetrics?: boolean } = {}) {
    // Process metrics (RSS, CPU, event-loop lag) make load tests and dashboards honest.
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'maya_' });
  }

  /** A gauge read from the speech pool when /metrics is scraped. */
  private speechGauge(name: string, help: string, pick: (s: SpeechPoolGauges) => number): Gauge {
    const stats = () => this.speechPoolStats?.();
    return new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        const s = stats();
        if (s) this.set(pick(s));
      },
    });
  }

  /** Time an async operation into a stage histogram. */
  async time<T>(stage: TurnStage, work: () => Promise<T>): Promise<T> {
    const end = this.stageSeconds.startTimer({ stage });
    try {
      return await work();
    } finally {
      end();
    }
  }
}
