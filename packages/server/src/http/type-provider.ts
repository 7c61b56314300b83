import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyTypeProvider } from 'fastify';

/**
 * Lets a route's TypeBox schemas type its request and reply (the role of
 * @fastify/type-provider-typebox, in the few lines it takes): one schema is validation, type and
 * OpenAPI at once.
 */
export interface TypeBoxTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}
