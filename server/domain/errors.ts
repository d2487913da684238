/**
 * A domain failure with a code the tools, the brain and the client all understand. Its `message` is
 * for logs and the client's error frame; what the guest hears is the phrasebook's template for it
 * (`spoken`: by default `error_<CODE>`, or a more precise phrase with its values), rendered by the
 * tool registry — so no spoken English lives in the state layer.
 */
import type { DomainErrorCode } from '../../shared/domain.ts';

export interface SpokenError {
  /** Phrasebook key of what Maya says. */
  phrase: string;
  vars?: Readonly<Record<string, string | number>>;
}

/** The phrasebook key of a code's spoken message template. */
export const errorPhrase = (code: DomainErrorCode): string => `error_${code}`;

export class DomainError extends Error {
  readonly spoken: SpokenError;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    spoken?: SpokenError,
  ) {
    super(message);
    this.name = 'DomainError';
    this.spoken = spoken ?? { phrase: errorPhrase(code) };
  }
}
