/**
 * The conversation processor: one path for typed and spoken turns, as named stages.
 *   1. scan      input security scan (a blocked turn reaches no brain)
 *   2. understand  speech act and intent, once per turn (understanding/ + brain/intents.ts)
 *   3. confirm   the confirm policy (confirm.ts): charge, read back, or answer a read-back
 *   4. respond   the brain or a cloud LLM with the registry's tools, given the understanding
 *   5. scan      output security scan
 *   6. commit    state and phase update — counts, history, pending question, phrases said
 * Turns of one session are serialised; every turn — blocked, confirmed, failed or normal — counts,
 * updates the phase, the history and the pending question in the same final step.
 */
import type { Emotion } from '../../shared/domain.ts';
import type { Logger } from 'pino';
import { DomainError } from '../domain/errors.ts';
import type { StateManager } from '../state/manager.ts';
import { MAX_HISTORY_MESSAGES, MAX_PENDING_ITEMS, PendingSchema } from '../domain/session.ts';
import type { OrderItem, Pending, SessionState } from '../domain/session.ts';
import type { Llm, LlmTurnOutput } from './ports.ts';
import { scanInput, scanOutput } from '../security/scan.ts';
import { nextPhase } from './phases.ts';
import { runTool, tabChanges, typedTools } from './tools.ts';
import type { ToolResult } from './ports.ts';
import { understand } from './brain/intents.ts';
import type { Intent, Understanding } from './brain/intents.ts';
import { orderAndReply, swapAndReply } from './brain/handlers/index.ts';
import type { Reply, TurnContext } from './brain/turnContext.ts';
import { Voice, describeLines, loadPhrasebook, lowerFirst } from '../phrasebook/persona.ts';
import type { Phrasebook } from '../phrasebook/persona.ts';
import { SmallTalk } from './brain/smallTalk.ts';
import { confirmStep } from './confirm.ts';
import type { RecogniserDoubts } from './confirm.ts';
import type { OrderLine } from '../../shared/domain.ts';
import type { PaymentService } from '../payments/service.ts';
import { splitSentences } from '../text/sentences.ts';
import { formatCents } from '../../shared/money.ts';
import type { Menu } from '../../shared/menu.ts';
import { fixedMenu } from '../menu/catalog.ts';
import type { MenuSource } from '../menu/catalog.ts';

export {
  VOICE_CONFIRM_BELOW_CONFIDENCE,
  VOICE_PLAUSIBLE_MAX_DRINKS,
  implausibleVoiceOrder,
  needsConfirmation,
} from './confirm.ts';

export interface TurnResult {
  text: string;
  emotion: Emotion;
  state: SessionState;
  toolCalls: { name: string; result: ToolResult }[];
  /** What the embedded understanding made of the turn (absent when the input scan blocked it). */
  understood?: Understanding;
}

/**
 * Where a turn came from, and what the recogniser doubts. Voice turns the confirm policy doubts are
 * read back before charging (confirm.ts).
 */
export interface TurnOptions extends RecogniserDoubts {
  /** Called with each sentence of the reply as soon as it is ready (speech starts early). */
  onSentence?: (sentence: string) => void;
  /** Aborted when the guest interrupts the reply being spoken: the brain stops writing it. */
  signal?: AbortSignal;
}

/** Small-talk line ids remembered per session (the corpus is smaller, so nothing repeats). */
export const MAX_USED_LINES = 200;
/** Bar lore lines handed to a cloud brain with each turn. */
export const LORE_LINES_PER_TURN = 3;

export interface ProcessorDeps {
  manager: StateManager;
  /** The brain for a session (embedded by default; a cloud LLM when the session has a key). */
  llmFor: (sessionId: string) => Llm | Promise<Llm>;
  log: Logger;
  /** Paying the tab (create_payment, check_payment_status, cancel_payment). */
  payments?: PaymentService;
  /** Maya's phrases for the replies the processor itself gives (confirmations, blocks). */
  phrasebook?: Phrasebook;
  /** Bar lore for cloud brains' prompts (and the processor's own confirmed orders). */
  smallTalk?: SmallTalk;
  /** The tool runner (the registry's by default; tests substitute tools that are not wired yet). */
  runTool?: typeof runTool;
  /** The live menu; each turn reads the menu current when it begins. Default: the bundled menu. */
  menu?: MenuSource;
}

export class Processor {
  private readonly phrasebook: Phrasebook;

  private readonly smallTalk: SmallTalk;

  constructor(private readonly deps: ProcessorDeps) {
    this.phrasebook = deps.phrasebook ?? loadPhrasebook();
    this.smallTalk = deps.smallTalk ?? SmallTalk.load();
  }

  /**
   * Run one guest turn. Turns of the same session run one at a time, in arrival order. The third
   * argument is the turn's options, or (as before) just the sentence callback.
   */
  handleTurn(
    sessionId: string,
    text: string,
    options: TurnOptions | ((sentence: string) => void) = {},
  ): Promise<TurnResult> {
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
    const menu = (this.deps.menu ?? fixedMenu()).current();
    const before = await manager.get(sessionId);
    const conv = before.conversation;
    const voice = new Voice(this.phrasebook, conv.turnCount, conv.recentPhrases);
    const toolCalls: TurnResult['toolCalls'] = [];
    const ctx = {
      sessionId,
      manager,
      menu,
      ...(this.deps.payments && { payments: this.deps.payments }),
    };
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
    /** A yes to "one more Tap Beer?": the drinks join the last order instead of replacing it. */
    let addedToLast = false;

    // 1. Input security scan: a blocked utterance never reaches a brain or an LLM, nor the history.
    const scan = scanInput(text);
    if (!scan.ok) {
      out = {
        text: voice.say(`blocked_${scan.category === 'leak' ? 'injection' : scan.category}`),
        emotion: 'upset',
        smallTalk: false,
      };
      guestText = `[blocked: ${scan.category}]`;
      log.warn({ sessionId, category: scan.category, rule: scan.rule }, 'input blocked');
    } else {
      // 2. Understand, once: the brain is handed this understanding and does not read the text again.
      understood = understand(scan.text, menu);
      log.debug(
        {
          sessionId,
          intent: understood.intent.kind,
          act: understood.act,
          source: options.source ?? 'text',
        },
        'turn understood',
      );
      // "Sorry?" repeats the question, which stays open.
      if (understood.intent.kind === 'say_again') pendingNext = conv.pending;
      try {
        // 3. Confirm policy: charge at once, read back, or settle a read-back.
        const alternatives = (options.alternatives ?? [])
          .slice(0, 3)
          .map((a) => understand(a, menu).intent);
        const step = confirmStep({
          intent: understood.intent,
          pending: conv.pending,
          options,
          lastAdded: conv.lastAdded,
          onTab: before.order.map((l) => l.item),
          text: scan.text,
          alternatives,
        });
        const brainCtx = (): TurnContext => ({
          text: scan.text,
          understood: understood!,
          state: before,
          tools: typedTools(tools),
          voice,
          smallTalk: this.smallTalk,
          menu,
        });
        const repriced = step.kind === 'confirmed' ? repricedItems(menu, step.pending) : [];
        if (step.kind === 'confirmed' && repriced.length) {
          // The menu changed since the guest was asked: say the new price and ask again, charge nothing yet.
          pendingNext = { ...step.pending, quotedCents: quote(menu, step.pending.items) };
          const prices = repriced
            .map((i) => `${withArticleName(i.name)} is now ${formatCents(i.priceCents)}`)
            .join(', ');
          out = {
            text: voice.say('price_changed', {
              prices,
              lines: lowerFirst(describeLines(step.pending.items)),
            }),
            emotion: 'thinking',
            smallTalk: false,
          };
        } else if (step.kind === 'confirmed') {
          addedToLast = step.pending.more === true;
          out = await performPending(brainCtx(), step.pending);
        } else if (step.kind === 'declined') {
          out = {
            text: voice.say(step.pending.kind === 'offer' ? 'offer_declined' : 'confirm_declined'),
            emotion: 'neutral',
            smallTalk: false,
          };
        } else if (step.kind === 'waiting') {
          pendingNext = step.pending;
          out = { text: voice.say('take_your_time'), emotion: 'neutral', smallTalk: false };
        } else if (step.kind === 'read_back') {
          pendingNext = step.pending;
          out = { text: readBack(voice, step.pending), emotion: 'thinking', smallTalk: false };
        } else {
          // 4. Respond: the brain (or a cloud LLM) decides, with the understanding made above.
          intent = step.intent;
          if (intent !== understood.intent) understood = { ...understood, intent };
          fromBrain = true;
          const llm = await this.deps.llmFor(sessionId);
          const lore =
            llm.name === 'embedded'
              ? undefined
              : this.smallTalk.relevant(scan.text, LORE_LINES_PER_TURN);
          out = await llm.turn({
            text: scan.text,
            state: before,
            history: conv.history,
            runTool: tools,
            understood,
            menu,
            ...(lore?.length ? { lore } : {}),
            ...(onSentence ? { onSentence } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
          });
        }
        intent ??= understood.intent;
      } catch (e) {
        if (e instanceof DomainError && e.code === 'INVALID_SESSION') throw e;
        log.error({ err: e, sessionId }, 'turn failed');
        out = { text: voice.say('fallback'), emotion: 'flustered', smallTalk: false };
      }
    }

    // 5. Output scan: nothing secret or abusive is ever spoken.
    const outScan = scanOutput(out.text);
    const blockedOutput = () => voice.say('blocked_output', {}, 0);
    if (!outScan.ok || streamBlocked) {
      log.warn(
        {
          sessionId,
          ...(outScan.ok
            ? { rule: 'streamed sentence' }
            : { category: outScan.category, rule: outScan.rule }),
        },
        'output blocked',
      );
      out = { text: blockedOutput(), emotion: 'neutral', smallTalk: false };
    }

    // 6. State and phase update — the one exit of every path.
    const { added, removed } = tabChanges(toolCalls);
    const ordered = added.length > 0;
    const step = nextPhase({
      phase: conv.phase,
      smallTalkCount: conv.smallTalkCount,
      ordered,
      smallTalk: out.smallTalk,
    });
    const lastAdded = nextLastAdded(
      conv.lastAdded,
      added,
      removed,
      addedToLast || intent?.kind === 'set_quantity' || intent?.kind === 'modify_last',
    );
    let replyText = out.text;
    if (out.offer?.length)
      pendingNext = {
        kind: 'offer',
        items: out.offer.slice(0, MAX_PENDING_ITEMS),
        ...(out.offerChoices &&
          out.offerChoices.length > 1 && {
            choices: out.offerChoices.slice(0, MAX_PENDING_ITEMS),
          }),
      };
    else if (out.mentioned?.length)
      pendingNext = {
        kind: 'offer',
        items: out.mentioned.slice(0, MAX_PENDING_ITEMS),
        onlyTalkedAbout: true,
      };
    // "Did you mean the X or the Y?": the answer ("the second one") is read against these options.
    if (intent?.kind === 'did_you_mean' && intent.options.length)
      pendingNext = {
        kind: 'which',
        items: intent.options.map((item) => ({ item, quantity: 1, modifiers: [] })),
      };
    if (step.phase === 'reorder_prompt' && conv.phase !== 'reorder_prompt') {
      replyText += ` ${voice.say('reorder_offer')}`;
      if (lastAdded.length)
        pendingNext = { kind: 'offer', items: lastAdded.slice(0, MAX_PENDING_ITEMS) };
    }
    // A question about drinks remembers their prices as they stand (quoted), so a yes never pays another.
    if (pendingNext && pendingNext.kind !== 'which' && !pendingNext.quotedCents)
      pendingNext = { ...pendingNext, quotedCents: quote(menu, pendingNext.items) };
    // An offer from any brain is stored only if it is well-formed, so the session always stays readable.
    if (pendingNext && !PendingSchema.safeParse(pendingNext).success) pendingNext = null;
    const lastReply = [...conv.history].reverse().find((m) => m.role === 'maya')?.text;
    if (replyText === lastReply)
      replyText = voice.fragment('repeat_prefix') + lowerFirst(replyText);

    // Speak what the brain did not stream: the processor's own replies, the round offer, a replacement.
    if (options.onSentence) {
      const rest =
        fromBrain && !streamBlocked && spoken.length && replyText.startsWith(out.text)
          ? replyText.slice(out.text.length)
          : spoken.length
            ? ''
            : replyText;
      for (const sentence of splitSentences(streamBlocked ? blockedOutput() : rest))
        options.onSentence(sentence);
    }

    const phrases = { ...out.phrases, ...voice.picked };
    const { state } = await manager.mutate(sessionId, (s) => {
      const c = s.conversation;
      const history = [
        ...c.history,
        { role: 'guest' as const, text: guestText },
        { role: 'maya' as const, text: replyText },
      ];
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
          usedLines: out.usedLine
            ? [...c.usedLines, out.usedLine].slice(-MAX_USED_LINES)
            : c.usedLines,
          pending: pendingNext,
          lastAdded,
          recentPhrases: { ...c.recentPhrases, ...phrases },
        },
      };
    });
    return {
      text: replyText,
      emotion: out.emotion,
      state,
      toolCalls,
      ...(understood ? { understood } : {}),
    };
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

/** "Just to check — two IPAs?" / "Just to check — one Gin instead of the Vodka?" */
function readBack(voice: Voice, pending: Pending): string {
  if (pending.kind === 'which')
    return voice.say('did_you_mean', {
      a: pending.items[0]!.item,
      b: pending.items[1]?.item ?? '',
    });
  const lines = lowerFirst(describeLines(pending.items, pending.more));
  if (pending.reasked) return voice.say('confirm_again', { lines }, 0);
  if (pending.isOtherReading) return voice.say('confirm_other_reading', { lines });
  return pending.replaces
    ? voice.say('confirm_swap', { lines, from: pending.replaces }, 0)
    : voice.say('confirm_order', { lines }, 0);
}

/** Each pending drink's menu price now (drinks not on the menu are left out: ordering them fails anyway). */
function quote(menu: Menu, items: readonly OrderItem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) {
    const m = menu.find(i.item);
    if (m) out[i.item] = m.priceCents;
  }
  return out;
}

/** Pending drinks whose menu price is no longer the one quoted when the guest was asked. */
function repricedItems(menu: Menu, pending: Pending): { name: string; priceCents: number }[] {
  if (!pending.quotedCents) return [];
  const out: { name: string; priceCents: number }[] = [];
  for (const i of pending.items) {
    const was = pending.quotedCents[i.item];
    const m = menu.find(i.item);
    if (was !== undefined && m && m.priceCents !== was && !out.some((o) => o.name === m.name))
      out.push({ name: m.name, priceCents: m.priceCents });
  }
  return out;
}

const withArticleName = (name: string) => `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;

/** A yes to a read-back or an offer: charge it now, as a swap if it replaces a drink. */
function performPending(ctx: TurnContext, pending: Pending): Promise<Reply> {
  if (pending.replaces) {
    const to = pending.items[0]!;
    return swapAndReply(ctx, {
      kind: 'swap',
      to: { item: to.item, quantity: to.quantity, modifiers: to.modifiers },
      from: pending.replaces,
    });
  }
  return orderAndReply(ctx, pending.items);
}

/**
 * What "the last order" means next turn. A new order replaces it; a quantity correction ("make that
 * two") adjusts it; removals take drinks out of it.
 */
function nextLastAdded(
  prev: readonly OrderItem[],
  added: readonly OrderLine[],
  removed: readonly OrderLine[],
  correction: boolean,
): OrderItem[] {
  const toItem = (l: OrderItem): OrderItem => ({
    item: l.item,
    quantity: l.quantity,
    modifiers: [...l.modifiers],
  });
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
