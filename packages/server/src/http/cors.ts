import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * CORS for the configured origins only (AIMS_CORS_ORIGINS); with none configured no CORS header is
 * ever sent, so browsers keep other sites out. Credentials are allowed for the listed origins.
 */
export function corsHook(origins: string[]) {
  const allowed = new Set(origins);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const origin = request.headers.origin;
    if (!origin || !allowed.has(origin)) return;
    void reply.header('access-control-allow-origin', origin);
    void reply.header('access-control-allow-credentials', 'true');
    void reply.header('vary', 'Origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      void reply.header('access-control-allow-methods', 'GET, HEAD, POST, PUT, DELETE');
      void reply.header(
        'access-control-allow-headers',
        request.headers['access-control-request-headers'] ?? 'authorization, content-type',
      );
      void reply.header('access-control-max-age', '600');
      await reply.code(204).send();
    }
  };
}
