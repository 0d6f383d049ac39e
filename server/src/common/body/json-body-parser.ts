import type { FastifyInstance } from 'fastify';

import { ApiError } from '../errors/api-error';
import { jsonBodyText } from './json-text';

/**
 * Makes `application/json` the only body the server reads (the contract's bodies are
 * all JSON): Fastify's text and Nest's form parsers go, so any other media type is
 * refused (FST_ERR_CTP_INVALID_MEDIA_TYPE, a 400 in docs/protocol.md) before a key of
 * it can reach validation. The JSON parser reads raw bytes, decodes them strictly as
 * UTF-8 and bounds their nesting (jsonBodyText), then hands the text to Fastify's own
 * parser, which keeps refusing `__proto__` and `constructor.prototype` keys.
 */
export function useStrictJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      refuseOtherCharsets(request.headers['content-type']);
      text = jsonBodyText(body as Buffer);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    // Fastify's parser answers through `done` synchronously.
    void parseJson(request, text, done);
  });
}

/** JSON is UTF-8 (RFC 8259 §8.1): a `charset` parameter may only say so. */
function refuseOtherCharsets(contentType: string | undefined): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8' && charset.toLowerCase() !== 'utf8') {
    throw new ApiError('bad_request', 'JSON bodies are UTF-8; send charset=utf-8 or no charset.');
  }
}
