import { ValidationPipe, type ValidationError } from '@nestjs/common';

import { ApiError } from './errors/api-error';

function messages(errors: readonly ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      text.startsWith(`property ${error.property} `) ? `${path} is not allowed` : text.replace(error.property, path),
    );
    return [...own, ...messages(error.children ?? [], path)];
  });
}

/** Request DTOs from @kez/protocol, strictly: unknown fields refused, every failure a 400 bad_request. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ApiError('bad_request', messages(errors).join('; ') || 'The request is malformed.'),
  });
}
