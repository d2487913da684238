import type { DomainErrorCode } from '../../shared/domain.ts';

/** A domain failure with a code the tools, the brain and the client all understand. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
