import { PostMessageDto } from '../inbox/messages.dto';

import { ApiError } from './errors/api-error';
import { createValidationPipe } from './validation';

async function refusal(body: unknown): Promise<string> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: PostMessageDto });
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).message;
  }
  throw new Error('accepted');
}

describe('createValidationPipe', () => {
  it('names an unknown field', async () => {
    expect(await refusal({ to: 'kate', envelope: {}, extra: 1 })).toBe('extra is not allowed');
  });

  it('keeps the message short however many and however long the unknown keys are', async () => {
    const body: Record<string, unknown> = { to: 'kate', envelope: {} };
    for (let i = 0; i < 2000; i++) {
      body[`key${i}_${'x'.repeat(100)}`] = i;
    }
    const message = await refusal(body);
    expect(message.length).toBeLessThan(200);
    expect(message).toMatch(/and 1997 more problems$/);
    expect(message).not.toContain('x'.repeat(33));
  });
});
