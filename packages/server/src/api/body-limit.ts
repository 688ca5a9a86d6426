// Upload size limit that leaves the body unread when Content-Length already answers: Hono's bodyLimit opens the
// request as a web stream first, which costs more than the rest of a snapshot upload, and the handler then can take
// the Node server's direct read of the body.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export function uploadLimit(maxSize: number, onError: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  // bodies without a declared length (chunked) are counted as they stream in, as before
  const streamed = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (parseInt(length, 10) > maxSize) return onError(c);
    await next();
    return undefined;
  };
}
