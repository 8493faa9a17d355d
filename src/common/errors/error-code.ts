/**
 * Every `code` nexcore puts in a problem+json body, a batch item error or an event-stream
 * `closed`/`error` event. Clients branch on these, so they are a closed vocabulary: an error
 * raised with a code not listed here does not compile. Add a code here when a module needs one.
 */
export type ErrorCode =
  // By HTTP status, when nothing more specific applies (see codeForStatus).
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'not-acceptable'
  | 'request-timeout'
  | 'conflict'
  | 'gone'
  | 'precondition-failed'
  | 'payload-too-large'
  | 'uri-too-long'
  | 'unsupported-media-type'
  | 'unprocessable-entity'
  | 'precondition-required'
  | 'rate-limited'
  | 'internal-error'
  | 'service-unavailable'
  | 'gateway-timeout'
  | 'validation-failed'
  // auth
  | 'api-key-rotation-pending'
  | 'login-locked'
  | 'credentials-expired'
  | 'credentials-invalid'
  // feedback
  | 'invalid-idempotency-key'
  // ask
  | 'source-not-found'
  | 'ask-quota-exceeded'
  | 'llm-not-configured'
  | 'llm-timeout'
  | 'llm-unavailable'
  | 'llm-error'
  // ingestion
  | 'invalid-url'
  | 'url-off-domain'
  | 'domain-public-suffix'
  | 'max-pages'
  | 'crawl-target-refused'
  | 'job-not-found'
  | 'too-many-streams'
  // webhooks
  | 'egress-refused'
  // defaults
  | 'default-not-found'
  | 'invalid-key'
  | 'invalid-context'
  | 'invalid-value'
  | 'invalid-item'
  | 'invalid-op'
  | 'invalid-confidence'
  | 'value-too-large'
  | 'duplicate-item'
  | 'batch-too-large'
  | 'batch-item-errors'
  | 'invalid-sort'
  | 'invalid-pagination'
  | 'invalid-cursor'
  | 'invalid-candidate'
  | 'too-many-candidates'
  | 'no-candidates'
  | 'feedback-rate-limited';

/** What an HttpException carries to the problem mapper: the message, a known code, extensions. */
export interface ProblemBody {
  message: string;
  code: ErrorCode;
  [extension: string]: unknown;
}

/**
 * The body of an HttpException with a stable code, checked by the compiler:
 * `new NotFoundException(problemBody({ message: 'No such source', code: 'source-not-found' }))`.
 */
export function problemBody<B extends ProblemBody>(body: B): B {
  return body;
}
