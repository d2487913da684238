/**
 * The conversation processor: one path for typed and spoken turns.
 *   input security scan → speech act and intent → (confirmation | brain/LLM with tools) → reply text
 *   and emotion → output security scan → state and phase update.
 * Turns of one session are serialised; every turn — blocked, confirmed, failed or normal — counts,
 * updates the phase, the history and the pending question in the same final step.
 */
import type { Emotion } from '../../shared/domain.ts';
import type { Logger } from 'pino';
import { DomainError } from '../state/errors.ts';
import type { StateManager } from '../state/manager.ts';
import { MAX_HISTORY_MESSAGES, MAX_PENDING_ITEMS, PendingSchema } from '../state/session.ts';
import type { OrderItem, Pending, SessionState } from '../state/session.ts';
import type { Llm, LlmTurnOutput } from '../llm/types.ts';
import { BLOCKED_INPUT_REPLIES, BLOCKED_OUTPUT_REPLY, scanInput, scanOutput } from '../security/scan.ts';
import { nextPhase } from './phases.ts';
import { runTool } from './tools.ts';
import type { ToolResult } from './tools.ts';
import { understand } from './brain/intents.ts';
import type { Intent, Understanding } from './brain/intents.ts';
import { orderAndReply } from './brain/brain.ts';
import { Voice, describeLines, loadPhrasebook, lowerFirst } from './brain/persona.ts';
import type { Phrasebook } from './brain/persona.ts';
import type { OrderLine } from '../../shared/domain.ts';
import type { PaymentService } from '../payments/service.ts';
import { splitSentences } from '../llm/sentences.ts';
import { MAX_QUANTITY } from '../../shared/domain.ts';

export interface TurnResult {
  text: string;
  emotion: Emotion;
  state: SessionState;
  toolCalls: { name: string; result: ToolResult }[];
  /** What the embedded understanding made of the turn (absent when the input scan blocked it). */
  understood?: Understanding;
}

/** Where a turn came from. Voice turns below the confidence threshold are confirmed before charging. */
export interface TurnOptions {
  source?: 'text' | 'voice';
  /** The recogniser's confidence in the final transcript, 0..1 (voice only). */
  confidence?: number;
  /** A general (cloud) recogniser wrote the transcript: without a confidence it is not doubted (voice only). */
  openVocabulary?: boolean;
  /**
   * Read orders back before charging whatever the confidence (true), or never (false). A caller whose
   * recogniser cannot judge itself (a grammar STT that forces speech into the menu) sets true.
   */
  confirmOrders?: boolean;
  /** Called with each sentence of the reply as soon as it is ready (speech starts early). */
  onSentence?: (sentence: string) => void;
  /** Aborted when the guest interrupts the reply being spoken: the brain stops writing it. */
  signal?: AbortSignal;
}

/**
 * A voice order recognised with less confidence than this is read back ("Just to check — one
 * Martini?") and charged only after a yes. The grammar STT can force out-of-grammar speech into an
 * order (BRIEF.md), so a voice turn without a confidence is treated as low.
 */
export const VOICE_CONFIRM_BELOW_CONFIDENCE = 0.8;
/** Small-talk line ids remembered per session (the corpus is smaller, so nothing repeats). */
export const MAX_USED_LINES = 200;

export interface ProcessorDeps {
  manager: StateManager;
  /** The brain for a session (embedded by default; a cloud LLM when the session has a key). */
  llmFor: (sessionId: string) => Llm | Promise<Llm>;
  log: Logger;
  /** Paying the tab (create_payment, check_payment_status, cancel_payment). */
  payments?: PaymentService;
  /** Maya's phrases for the replies the processor itself gives (confirmations, blocks). */
  phrasebook?: Phrasebook;
  /** The tool runner (the registry's by default; tests substitute tools that are not wired yet). */
  runTool?: typeof runTool;
}

/**
 * A grammar recogniser can turn unrelated speech into a clean-sounding order. More drinks than this
 * in one spoken order is unusual enough to read back even when recognised with full confidence.
 */
export const VOICE_PLAUSIBLE_MAX_DRINKS = 3;

export function implausibleVoiceOrder(options: TurnOptions, items: readonly { quantity: number }[]): boolean {
  return options.source === 'voice' && options.confirmOrders !== false && items.reduce((n, i) => n + i.quantity, 0) > VOICE_PLAUSIBLE_MAX_DRINKS;
}

export function needsConfirmation(options: TurnOptions): boolean {
  if (options.confirmOrders !== undefined) return options.confirmOrders;
  if (options.source !== 'voice') return false;
  if (options.confidence !== undefined) return options.confidence < VOICE_CONFIRM_BELOW_CONFIDENCE;
  return options.openVocabulary !== true;
}

export class Processor {
  private readonly phrasebook: Phrasebook;

  constructor(private readonly deps: ProcessorDeps) {
    this.phrasebook = deps.phrasebook ?? loadPhrasebook();
  }

  /**
   * Run one guest turn. Turns of the same session run one at a time, in arrival order. The third
   * argument is the turn's options, or (as before) just the sentence callback.
   */
  handleTurn(sessionId: string, text: string, options: TurnOptions | ((sentence: string) => void) = {}): Promise<TurnResult> {
    const opts = typeof options === 'function' ? { onSentence: options } : options;
    return this.serialised(sessionId, () => this.turn(sessionId, text, opts));
  }

  /** Run any session mutation in the same per-session queue as turns. */
  serialised<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    // The state manager's turn queue: in-process order plus the session's cross-process lock.
    return this.deps.manager.serialised(sessionId, work);
  }

  private async turn(sessionId: string, text: string, options: TurnOptions): Promise<TurnResult> {
    const { manager, log } = this.deps;
    const before = await manager.get(sessionId);
    const conv = before.conversation;
    const voice = new Voice(this.phrasebook, conv.turnCount);
    const toolCalls: TurnResult['toolCalls'] = [];
    const ctx = { sessionId, manager, ...(this.deps.payments && { payments: this.deps.payments }) };
    // Sentences reach the speaker as the brain produces them, each through the output scan first.
    const spoken: string[] = [];
    let streamBlocked = false;
    const onSentence = options.onSentence
      ? (sentence: string) => {
          if (streamBlocked || !scanOutput(sentence).ok) {
            streamBlocked = true;
            return;
          }
          spoken.push(sentence);
          options.onSentence!(sentence);
        }
      : undefined;
    let fromBrain = false;
    const tools = async (name: string, args: unknown) => {
      const result = await (this.deps.runTool ?? runTool)(ctx, name, args);
      toolCalls.push({ name, result });
      return result;
    };

    let out: LlmTurnOutput;
    let guestText = text;
    let intent: Intent | undefined;
    let understood: Understanding | undefined;
    let pendingNext: Pending | null = null;

    // 1. Input security scan: a blocked utterance never reaches a brain or an LLM, nor the history.
    const scan = scanInput(text);
    if (!scan.ok) {
      const replies = BLOCKED_INPUT_REPLIES[scan.category === 'leak' ? 'injection' : scan.category];
      out = { text: replies[conv.turnCount % replies.length]!, emotion: 'upset', smallTalk: false };
      guestText = `[blocked: ${scan.category}]`;
      log.warn({ sessionId, category: scan.category, rule: scan.rule }, 'input blocked');
    } else {
      // 2. Speech act and intent (the embedded understanding, whichever brain answers).
      understood = understand(scan.text);
      intent = understood.intent;
      log.debug({ sessionId, intent: intent.kind, act: understood.act, source: options.source ?? 'text' }, 'turn understood');
      const pending = conv.pending;
      // "Sorry?" repeats the question, which stays open.
      if (intent.kind === 'say_again') pendingNext = pending;
      const firstOrder = before.order.length === 0 && before.orderHistory.length === 0 && conv.lastOrderTurn === null;
      try {
        if (pending && intent.kind === 'yes') {
          out = await orderAndReply(voice, tools, pending.items, firstOrder);
        } else if (pending && (intent.kind === 'no' || intent.kind === 'cancel_last')) {
          out = { text: voice.say(pending.kind === 'confirm_order' ? 'confirm_declined' : 'offer_declined'), emotion: 'neutral', smallTalk: false };
        } else if (itemsToConfirm(intent, conv.lastAdded) && (needsConfirmation(options) || implausibleVoiceOrder(options, itemsToConfirm(intent, conv.lastAdded)!))) {
          pendingNext = { kind: 'confirm_order', items: itemsToConfirm(intent, conv.lastAdded)! };
          out = { text: voice.say('confirm_order', { lines: lowerFirst(describeLines(pendingNext.items)) }, 0), emotion: 'thinking', smallTalk: false };
        } else {
          // 3. Tools and reply: the brain (or a cloud LLM) decides.
          fromBrain = true;
          const llm = await this.deps.llmFor(sessionId);
          out = await llm.turn({ text: scan.text, state: before, history: conv.history, runTool: tools, ...(onSentence ? { onSentence } : {}), ...(options.signal ? { signal: options.signal } : {}) });
        }
      } catch (e) {
        if (e instanceof DomainError && e.code === 'INVALID_SESSION') throw e;
        log.error({ err: e, sessionId }, 'turn failed');
        out = { text: voice.say('fallback'), emotion: 'flustered', smallTalk: false };
      }
    }

    // 4. Output scan: nothing secret or abusive is ever spoken.
    const outScan = scanOutput(out.text);
    if (!outScan.ok || streamBlocked) {
      log.warn({ sessionId, ...(outScan.ok ? { rule: 'streamed sentence' } : { category: outScan.category, rule: outScan.rule }) }, 'output blocked');
      out = { text: BLOCKED_OUTPUT_REPLY, emotion: 'neutral', smallTalk: false };
    }

    // 5. State and phase update — the one exit of every path.
    const added = [...successful(toolCalls, 'add_to_order', 'added'), ...successful(toolCalls, 'swap_in_order', 'added')];
    const removed = [...successful(toolCalls, 'remove_from_order', 'removed'), ...successful(toolCalls, 'swap_in_order', 'removed')];
    const ordered = added.length > 0;
    const step = nextPhase({ phase: conv.phase, smallTalkCount: conv.smallTalkCount, ordered, smallTalk: out.smallTalk });
    const lastAdded = nextLastAdded(conv.lastAdded, added, removed, intent?.kind === 'set_quantity');
    let replyText = out.text;
    if (out.offer?.length) pendingNext = { kind: 'offer', items: out.offer.slice(0, MAX_PENDING_ITEMS) };
    if (step.phase === 'reorder_prompt' && conv.phase !== 'reorder_prompt') {
      replyText += voice.say('reorder_offer');
      if (lastAdded.length) pendingNext = { kind: 'offer', items: lastAdded.slice(0, MAX_PENDING_ITEMS) };
    }
    // An offer from any brain is stored only if it is well-formed, so the session always stays readable.
    if (pendingNext && !PendingSchema.safeParse(pendingNext).success) pendingNext = null;
    const lastReply = [...conv.history].reverse().find((m) => m.role === 'maya')?.text;
    if (replyText === lastReply) replyText = voice.say('repeat_prefix') + lowerFirst(replyText);

    // Speak what the brain did not stream: the processor's own replies, the round offer, a replacement.
    if (options.onSentence) {
      const rest = fromBrain && !streamBlocked && spoken.length && replyText.startsWith(out.text) ? replyText.slice(out.text.length) : spoken.length ? '' : replyText;
      for (const sentence of splitSentences(streamBlocked ? BLOCKED_OUTPUT_REPLY : rest)) options.onSentence(sentence);
    }

    const { state } = await manager.mutate(sessionId, (s) => {
      const c = s.conversation;
      const history = [...c.history, { role: 'guest' as const, text: guestText }, { role: 'maya' as const, text: replyText }];
      return {
        ...s,
        emotion: out.emotion,
        conversation: {
          ...c,
          phase: step.phase,
          smallTalkCount: step.smallTalkCount,
          turnCount: c.turnCount + 1,
          lastOrderTurn: ordered ? c.turnCount + 1 : c.lastOrderTurn,
          history: history.slice(-MAX_HISTORY_MESSAGES),
          usedLines: out.usedLine ? [...c.usedLines, out.usedLine].slice(-MAX_USED_LINES) : c.usedLines,
          pending: pendingNext,
          lastAdded,
        },
      };
    });
    return { text: replyText, emotion: out.emotion, state, toolCalls, ...(understood ? { understood } : {}) };
  }

  /**
   * The guest cut Maya's reply off: the history keeps only what was heard (STYLE.md: a brain that
   * believes it said things the guest never heard answers the wrong conversation). Runs in the turn
   * queue, after the turn that wrote `said`; a later turn's reply is never touched.
   */
  replyHeard(sessionId: string, said: string, heard: string): Promise<void> {
    return this.serialised(sessionId, async () => {
      await this.deps.manager.mutate(sessionId, (s) => {
        const history = [...s.conversation.history];
        const last = history.length - 1;
        if (history[last]?.role !== 'maya' || history[last].text !== said) return s;
        history[last] = { role: 'maya', text: heard || '…' };
        return { ...s, conversation: { ...s.conversation, history } };
      });
    });
  }
}

/** The drinks a turn would charge for, when they can be known before any tool runs. */
function itemsToConfirm(intent: Intent, lastAdded: readonly OrderItem[]): OrderItem[] | undefined {
  let items: OrderItem[] | undefined;
  if (intent.kind === 'order') items = intent.items;
  if (intent.kind === 'repeat_round' && lastAdded.length) items = [...lastAdded];
  const only = new Set(lastAdded.map((l) => l.item));
  if (intent.kind === 'repeat_last' && only.size === 1) items = [{ ...lastAdded.at(-1)!, quantity: intent.quantity }];
  // Only what could be charged is confirmed; "thirty beers" goes to the brain, which says why not.
  return items && items.length <= MAX_PENDING_ITEMS && items.every((i) => i.quantity >= 1 && i.quantity <= MAX_QUANTITY) ? items : undefined;
}

/** Lines a tool reported as added or removed in this turn. */
function successful(calls: TurnResult['toolCalls'], name: string, field: 'added' | 'removed'): OrderLine[] {
  return calls.flatMap((c) => (c.name === name && c.result.ok ? ((c.result.result as Record<string, OrderLine[]>)[field] ?? []) : []));
}

/**
 * What "the last order" means next turn. A new order replaces it; a quantity correction ("make that
 * two") adjusts it; removals take drinks out of it.
 */
function nextLastAdded(prev: readonly OrderItem[], added: readonly OrderLine[], removed: readonly OrderLine[], correction: boolean): OrderItem[] {
  const toItem = (l: OrderItem): OrderItem => ({ item: l.item, quantity: l.quantity, modifiers: [...l.modifiers] });
  let next: OrderItem[] = added.length && !correction ? [] : prev.map(toItem);
  for (const r of removed) {
    let left = r.quantity;
    for (let i = next.length - 1; i >= 0 && left > 0; i--) {
      const l = next[i]!;
      if (l.item !== r.item) continue;
      const take = Math.min(l.quantity, left);
      l.quantity -= take;
      left -= take;
    }
    next = next.filter((l) => l.quantity > 0);
  }
  for (const a of added) {
    const same = next.find((l) => l.item === a.item && l.modifiers.join() === a.modifiers.join());
    if (same) same.quantity = Math.min(same.quantity + a.quantity, 20);
    else next.push(toItem(a));
  }
  return next.slice(-20);
}
