/** A brain for fault tests: the embedded bartender, held at a gate so a turn stays in flight on purpose. */
import { EmbeddedBrain } from '../conversation/brain/brain.ts';
import type { Llm, LlmTurnInput, LlmTurnOutput } from '../conversation/ports.ts';

export class GatedBrain implements Llm {
  readonly name = 'gated';
  private readonly inner = new EmbeddedBrain();
  private gate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => undefined;
  private enteredWaiters: (() => void)[] = [];
  /** Turns that reached the brain. */
  entered = 0;

  /** From now on, turns wait at the gate until `release()`. */
  hold(): void {
    this.gate = new Promise((r) => (this.openGate = r));
  }

  release(): void {
    this.openGate();
    this.gate = Promise.resolve();
  }

  /** Resolves once a turn is waiting inside the brain. */
  whenEntered(): Promise<void> {
    return this.entered > 0 ? Promise.resolve() : new Promise((r) => this.enteredWaiters.push(r));
  }

  async turn(input: LlmTurnInput): Promise<LlmTurnOutput> {
    this.entered++;
    for (const w of this.enteredWaiters.splice(0)) w();
    await this.gate;
    return this.inner.turn(input);
  }
}
