/** Base class of errors a user can be told about. Route error handlers map each to a status and a page. */
export class DomainError extends Error {
  readonly status: number = 400
}

/** Thrown when a record does not exist, or when its existence must not be revealed. */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError'
  override readonly status = 404
}

/** Thrown when the user is signed in but may not do this (role or relationship missing). Audited before thrown. */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError'
  override readonly status = 403
}

/** Thrown when input breaks a rule that a form could not check first. */
export class ValidationError extends DomainError {
  override name = 'ValidationError'
  override readonly status = 400
}

/** Thrown when the change conflicts with the current state (already used, already exists). */
export class ConflictError extends DomainError {
  override name = 'ConflictError'
  override readonly status = 409
}
