/**
 * What the conversation layer needs from a brain, and what it gives one: the `Llm` port (the embedded
 * bartender and the cloud adapters in llm/ implement it), the tool runner a brain calls, and the
 * results it gets back. The interfaces live here, with the layer that uses them, so llm/ depends on
 * conversation/ and never the other way round.
 */
import type { DomainErrorCode, Emotion } from '../../shared/domain.ts';
import type { HistoryMessage, OrderItem, SessionState } from '../domain/session.ts';
import type { Understanding } from './brain/intents.ts';
import type { Menu } from '../../shared/menu.ts';

/** What running a registry tool gave: its typed result, or a domain error code and message. */
export type ToolResult<R = unknown> =
  | { ok: true; result: R }
  | { ok: false; error: DomainErrorCode; message: string };

/** Runs a registry tool for the current session; the processor records every call. */
export type ToolRunner = (name: string, args: unknown) => Promise<ToolResult>;

export interface LlmTurnInput {
  text: string;
  /** The session as it was when the turn started. */
  state: SessionState;
  history: readonly HistoryMessage[];
  runTool: ToolRunner;
  /** What the processor understood of the text (once per turn); a brain may use it instead of re-reading. */
  understood?: Understanding;
  /** The menu of this turn (the live one when it began); the bundled menu when absent (tests, benches). */
  menu?: Menu;
  /** Bar lore and persona lines relevant to the text (small-talk retrieval), for a cloud brain's prompt. */
  lore?: readonly string[];
  /** Called with each complete sentence of the reply as it streams, so speech can start early. */
  onSentence?: (sentence: string) => void;
  /**
   * The guest cut Maya off (barge-in): stop writing and return the reply so far. Tools already run
   * stay run. A cloud brain stops its request, so the guest's next turn does not wait for it.
   */
  signal?: AbortSignal;
}

/** The reply text of a turn interrupted before Maya had written anything. */
export const INTERRUPTED_REPLY = '…';

export interface LlmTurnOutput {
  text: string;
  emotion: Emotion;
  /** Casual talk with no domain act (drives the small-talk phase rule). */
  smallTalk: boolean;
  /** Id of the small-talk corpus line used, so the session never repeats it. */
  usedLine?: string;
  /** Drinks Maya just offered ("want one?"): a "yes" next turn orders them. */
  offer?: OrderItem[];
  /**
   * A drink Maya only talked about (what is in it, a remark about it): words that take it next turn
   * order it ("sounds good, I'll have one"); a bare "yes", which may only agree, does not.
   */
  mentioned?: OrderItem[];
  /** The drinks an offer named to choose from ("the Martini, or the Manhattan"): "the second one" takes that one. */
  offerChoices?: OrderItem[];
  /** Phrasebook variants this reply used (phrase key → variant), so the next reply of a kind differs. */
  phrases?: Readonly<Record<string, number>>;
}

/** A conversational brain: the embedded deterministic bartender or a cloud LLM. */
export interface Llm {
  readonly name: string;
  turn(input: LlmTurnInput): Promise<LlmTurnOutput>;
}
