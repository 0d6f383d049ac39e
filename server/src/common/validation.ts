import { ValidationPipe, type ValidationError } from '@nestjs/common';

import { ApiError } from './errors/api-error';

/** An error message names at most this many problems… */
const MAX_PROBLEMS = 3;
/** …and at most this many characters of a field name the client chose. */
const MAX_NAME_LENGTH = 32;

/** A client-chosen field name, short enough to quote (an unknown key can be 300 KiB long). */
function fieldName(name: string): string {
  return name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH)}…` : name;
}

function messages(errors: readonly ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const property = fieldName(error.property);
    const path = parent ? `${parent}.${property}` : property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, text]) =>
      // The whitelist rule's text quotes the unknown key in full; every other rule's text is ours.
      rule === 'whitelistValidation' ? `${path} is not allowed` : text.replace(error.property, path),
    );
    return [...own, ...messages(error.children ?? [], path)];
  });
}

/** The problems joined into one short line: the first few, then how many more. */
export function validationMessage(errors: readonly ValidationError[]): string {
  const all = messages(errors);
  if (all.length === 0) {
    return 'The request is malformed.';
  }
  const shown = all.slice(0, MAX_PROBLEMS).join('; ');
  return all.length > MAX_PROBLEMS ? `${shown}; and ${all.length - MAX_PROBLEMS} more problems` : shown;
}

/** Request DTOs from @kez/protocol, strictly: unknown fields refused, every failure a 400 bad_request. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ApiError('bad_request', validationMessage(errors)),
  });
}
