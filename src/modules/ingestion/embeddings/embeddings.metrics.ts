import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const CHUNKS_EMBEDDED = 'ingestion_chunks_embedded_total';
export const QUESTION_EMBEDDINGS = 'ask_question_embeddings_total';

export const EMBEDDINGS_METRICS = [
  makeCounterProvider({
    name: CHUNKS_EMBEDDED,
    help: 'Chunks sent for embedding by crawl jobs, by outcome (embedded, failed: left full-text only)',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: QUESTION_EMBEDDINGS,
    help: 'Questions embedded for semantic retrieval, by outcome (ok, failed: answered from full-text alone)',
    labelNames: ['outcome'],
  }),
];
