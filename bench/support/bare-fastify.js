// Baseline for the HTTP benchmarks: Fastify with no plugins, one JSON route.
const fastify = require('fastify')();
fastify.get('/', async () => ({ hello: 'world' }));
fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
