/** The handles the screens use as examples, in order of preference. */
const EXAMPLES = ['bob', 'alice'] as const;

/**
 * A handle to show as an example of someone to chat with ("such as bob"): never the
 * person's own, since typing that only gets "That's you!".
 */
export function exampleHandle(own: string | null | undefined): string {
  return EXAMPLES.find((candidate) => candidate !== own) ?? EXAMPLES[0];
}
